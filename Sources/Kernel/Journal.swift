#if canImport(Glibc)
import Glibc
#endif

/// Append-only files that must survive a crash or SIGKILL right after the call returns.
public enum Journal {
    /// Appends `line` and a newline to `path`, creating it, and waits until it is on disk.
    ///
    /// The corresponding C calls are `open` with `O_APPEND`, `write` and `fsync`.
    public static func append(_ line: String, to path: String) throws(KernelError) {
        let fd = try syscall("openat", ["AT_FDCWD", traceQuote(path), "O_WRONLY|O_CREAT|O_APPEND|O_CLOEXEC", "0600"]) {
            open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        }
        defer { close(fd) }
        let bytes = Array((line + "\n").utf8)
        try syscall("write", [String(fd), traceQuote(line), String(bytes.count)]) {
            bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        }
        try syscall("fsync", [String(fd)]) { fsync(fd) }
    }
}
