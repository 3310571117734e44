#if canImport(Glibc)
import Glibc
#endif
import CBoxLab

/// An exclusive `flock` on a file. The kernel drops it with the last descriptor of its open
/// file, so a holder that is SIGKILLed frees it; the descriptor is close-on-exec, so the
/// programs a holder starts do not keep it once they run.
public struct FileLock: Sendable {
    private let file: OpenFile

    private init(file: OpenFile) { self.file = file }

    /// Locks `path` (made if missing) without waiting; nil while another open file holds it.
    /// A lock file that was removed while we waited names a dead inode: the lock is taken
    /// again on the file now at `path`.
    ///
    /// The corresponding C functions are `open`, `flock`, `fstat`, `lstat` and `close`.
    public static func tryLock(_ path: String) throws(KernelError) -> FileLock? {
        while true {
            let file = try OpenFile.open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, mode: 0o600)
            do throws(KernelError) {
                try syscall("flock", ["\(file.descriptor)", "LOCK_EX|LOCK_NB"]) { boxlab_flock(file.descriptor, LOCK_EX | LOCK_NB) }
                let locked = try file.status()
                if let named = try? FileSystem.lstat(path), named.inode == locked.inode, named.device == locked.device {
                    return FileLock(file: file)
                }
                try? file.close()
            } catch {
                try? file.close()
                if error.errno == .EAGAIN { return nil }
                throw error
            }
        }
    }

    /// Replaces the file's content: the holder names itself there for those it turns away.
    ///
    /// The corresponding C functions are `ftruncate` and `pwrite`.
    public func describe(_ text: String) throws(KernelError) {
        try syscall("ftruncate", ["\(file.descriptor)", "0"]) { Glibc.ftruncate(file.descriptor, 0) }
        let bytes = Array(text.utf8)
        try syscall("pwrite64", ["\(file.descriptor)", traceQuote(bytes), "\(bytes.count)", "0"]) {
            bytes.withUnsafeBytes { Glibc.pwrite(file.descriptor, $0.baseAddress, $0.count, 0) }
        }
    }

    /// Unlocks by closing the descriptor. A holder that keeps the lock for its whole life
    /// never calls it: the kernel releases the lock when the process ends.
    ///
    /// The corresponding C function is `close`.
    public func release() {
        try? file.close()
    }
}
