#if canImport(Glibc)
import Glibc
#endif

public enum Pause {
    /// Sleeps for `seconds` (sleep(1)).
    ///
    /// The corresponding C function is `clock_nanosleep`.
    public static func sleep(_ seconds: Double) throws(KernelError) {
        var request = timespec(tv_sec: Int(seconds), tv_nsec: Int((seconds - seconds.rounded(.down)) * 1e9))
        var remaining = timespec()
        try syscall("clock_nanosleep", ["CLOCK_MONOTONIC", "0", "{tv_sec=\(request.tv_sec), tv_nsec=\(request.tv_nsec)}", "NULL"]) { () -> Int32 in
            let result = clock_nanosleep(CLOCK_MONOTONIC, 0, &request, &remaining)
            if result == EINTR { request = remaining }
            if result != 0 { errno = result; return -1 }
            return 0
        }
    }
}
