#if canImport(Glibc)
import Glibc
#endif
import CBoxLab

/// An exclusive `flock` on a directory. The kernel drops it with the last descriptor of its
/// open file, so a holder that is SIGKILLed frees it; the descriptor is close-on-exec, so the
/// programs a holder starts do not keep it once they run. Who holds it is the kernel's to
/// say (/proc/locks), not a file's: a file beside it could be rewritten by anyone who may
/// write there.
public struct FileLock: Sendable {
    private let file: OpenFile

    private init(file: OpenFile) { self.file = file }

    /// Locks the directory `path` without waiting; nil while another open file holds it. A
    /// directory that was replaced while we waited names a dead inode: the lock is taken
    /// again on the one now at `path`.
    ///
    /// The corresponding C functions are `open`, `flock`, `fstat`, `lstat` and `close`.
    public static func tryLock(directory path: String) throws(KernelError) -> FileLock? {
        while true {
            let file = try OpenFile.open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            do throws(KernelError) {
                try syscall("flock", ["\(file.descriptor)", "LOCK_EX|LOCK_NB"]) { boxlab_flock(file.descriptor.rawValue, LOCK_EX | LOCK_NB) }
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

    /// The process that holds a flock on the file at `path`, as this process's PID namespace
    /// numbers it: nil when none does, or when the holder is outside that namespace.
    ///
    /// The corresponding C functions are `lstat`, then `open` and `read` of /proc/locks.
    public static func holder(of path: String) -> Int32? {
        guard let status = try? FileSystem.lstat(path), let bytes = try? FileSystem.readFile("/proc/locks") else { return nil }
        return holder(of: status, in: String(decoding: bytes, as: UTF8.self))
    }

    /// The holder of a flock on `status`'s inode in a /proc/locks listing: lines such as
    /// `1: FLOCK  ADVISORY  WRITE 3686 fe:00:16220440 0 EOF` (device major and minor in hex,
    /// inode in decimal); a waiter's line (`1: -> FLOCK …`) holds nothing, and a holder in
    /// another PID namespace is listed as pid 0 or -1.
    static func holder(of status: FileStatus, in listing: String) -> Int32? {
        for line in listing.split(separator: "\n") {
            let words = line.split(separator: " ")
            guard words.count >= 6, words[1] == "FLOCK", let pid = Int32(words[4]), pid > 0 else { continue }
            let place = words[5].split(separator: ":")
            guard place.count == 3, UInt32(place[0], radix: 16) == status.device.major,
                  UInt32(place[1], radix: 16) == status.device.minor, UInt64(place[2]) == status.inode else { continue }
            return pid
        }
        return nil
    }

    /// Unlocks by closing the descriptor. A holder that keeps the lock for its whole life
    /// never calls it: the kernel releases the lock when the process ends.
    ///
    /// The corresponding C function is `close`.
    public func release() {
        try? file.close()
    }
}
