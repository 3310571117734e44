#if canImport(Glibc)
import Glibc
#endif

/// Append-only files that must survive a crash or SIGKILL right after the call returns.
///
/// A write that returned is in the page cache, where every later reader sees it, SIGKILL or
/// not; there is no fsync, because what the journal names (mounts, namespaces, processes,
/// cgroups, links, files in /run) does not outlive the machine either.
public enum Journal {
    /// Appends `line` and a newline to `path`, creating it.
    ///
    /// The corresponding C calls are `open` with `O_APPEND` and `write`.
    public static func append(_ line: String, to path: String) throws(KernelError) {
        let fd = try syscall("openat", ["AT_FDCWD", traceQuote(path), "O_WRONLY|O_CREAT|O_APPEND|O_CLOEXEC", "0600"]) {
            open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        }
        defer { close(fd) }
        let bytes = Array((line + "\n").utf8)
        try syscall("write", [String(fd), traceQuote(line), String(bytes.count)]) {
            bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        }
    }
}
