#if canImport(Glibc)
import Glibc
#endif
@testable import Kernel
import Testing

@Suite("File locks")
struct FileLockTests {
    /// Three lines of a real /proc/locks (Linux 6.18): a flock, a waiter for it, a POSIX lock.
    static let listing = """
    1: FLOCK  ADVISORY  WRITE 3686 fe:00:16220440 0 EOF
    1: -> FLOCK  ADVISORY  WRITE 4100 fe:00:16220440 0 EOF
    2: FLOCK  ADVISORY  WRITE 0 00:2a:77 0 EOF
    3: POSIX  ADVISORY  WRITE 2769 fe:00:5482737 1073741824 1073742335

    """

    static func directory(major: UInt32, minor: UInt32, inode: UInt64) -> FileStatus {
        FileStatus(type: .directory, permissions: 0o755, inode: inode, device: DeviceNumber(major: major, minor: minor))
    }

    @Test("the holder of a flock is read from /proc/locks by device (hex) and inode; waiters, POSIX locks and holders in other PID namespaces are not holders")
    func holder() {
        #expect(FileLock.holder(of: Self.directory(major: 0xfe, minor: 0, inode: 16220440), in: Self.listing) == 3686)
        #expect(FileLock.holder(of: Self.directory(major: 0xfe, minor: 1, inode: 16220440), in: Self.listing) == nil)
        #expect(FileLock.holder(of: Self.directory(major: 0x2a, minor: 0, inode: 77), in: Self.listing) == nil)
        #expect(FileLock.holder(of: Self.directory(major: 0, minor: 0x2a, inode: 77), in: Self.listing) == nil)
        #expect(FileLock.holder(of: Self.directory(major: 0xfe, minor: 0, inode: 5482737), in: Self.listing) == nil)
    }

    @Test("a directory locked by this process is named as held by it, and free again once released")
    func lockDirectory() throws {
        let path = "/tmp/boxlab-filelock-\(getpid())"
        try FileSystem.mkdir(path)
        defer { try? FileSystem.rmdir(path) }
        let lock = try #require(try FileLock.tryLock(directory: path))
        #expect(FileLock.holder(of: path) == getpid())
        #expect(try FileLock.tryLock(directory: path) == nil)
        lock.release()
        #expect(FileLock.holder(of: path) == nil)
        try #require(try FileLock.tryLock(directory: path)).release()
    }
}
