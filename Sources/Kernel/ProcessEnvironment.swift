#if canImport(Glibc)
import Glibc
#endif

/// This process's environment variables, one at a time: ProcessInfo's `environment` copies
/// all of them into a dictionary on first use, a third of a millisecond of every start.
public enum ProcessEnvironment {
    /// The corresponding C function is `getenv`.
    public static func value(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }
}
