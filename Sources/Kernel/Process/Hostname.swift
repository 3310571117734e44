#if canImport(Glibc)
import Glibc
#endif

/// The hostname of the UTS namespace the calling thread is in (uts_namespaces(7)).
public enum Hostname {
    /// The corresponding C function is `uname`.
    public static func get() throws(KernelError) -> String {
        var names = try systemNames()
        return withUnsafeBytes(of: &names.nodename) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }

    /// The corresponding C function is `sethostname`.
    public static func set(_ name: String) throws(KernelError) {
        let bytes = Array(name.utf8)
        try syscall("sethostname", [traceQuote(name), "\(bytes.count)"]) { sethostname(name, bytes.count) }
    }

    /// The hostname process `pid` sees: read on a thread that joins its UTS namespace.
    ///
    /// The corresponding C functions are `setns` and `uname`.
    public static func of(_ pid: Int32) throws(KernelError) -> String {
        try NamespaceFile(pid: pid, kind: .uts).perform { () throws(KernelError) in try get() }
    }
}

/// The kernel's names for itself and the machine.
///
/// The corresponding C function is `uname`.
func systemNames() throws(KernelError) -> utsname {
    var names = utsname()
    try syscall("uname", ["{…}"]) { uname(&names) }
    return names
}
