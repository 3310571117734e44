#if canImport(Glibc)
import Glibc
#endif
import CBoxLab

extension FileSystem {
    /// The status of the inode `path` names, following symbolic links.
    ///
    /// The corresponding C function is `stat`.
    public static func stat(_ path: String) throws(KernelError) -> FileStatus {
        try status("stat", path, flags: 0)
    }

    /// The status of `path` itself: a symbolic link describes the link, not its target.
    ///
    /// The corresponding C function is `lstat`.
    public static func lstat(_ path: String) throws(KernelError) -> FileStatus {
        try status("lstat", path, flags: AT_SYMLINK_NOFOLLOW)
    }

    /// glibc implements both calls with `fstatat` (the kernel's newfstatat); the trace keeps the
    /// names a learner knows.
    private static func status(_ call: String, _ path: String, flags: Int32) throws(KernelError) -> FileStatus {
        var status: FileStatus?
        try syscall(call, [tracePath(path), status?.traceDescription ?? "0x…"]) {
            var buffer = Glibc.stat()
            let result = fstatat(AT_FDCWD, path, &buffer, flags)
            if result == 0 { status = FileStatus(buffer) }
            return result
        }
        return status!
    }

    /// The type of the file system `path` is on, statfs(2)'s f_type (`CGROUP2_SUPER_MAGIC`…).
    ///
    /// The corresponding C function is `statfs`.
    public static func fileSystemType(_ path: String) throws(KernelError) -> Int {
        var type: Int?
        try syscall("statfs", [tracePath(path), type.map { "{f_type=0x\(String($0, radix: 16)), …}" } ?? "0x…"]) {
            var found = 0
            let result = boxlab_statfs_type(path, &found)
            if result == 0 { type = found }
            return result
        }
        return type!
    }
}
