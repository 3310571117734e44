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

    /// The status of the name `name` in `directory` itself, a symbolic link's own.
    ///
    /// The corresponding C function is `fstatat` with `AT_SYMLINK_NOFOLLOW`.
    public static func lstat(_ name: String, in directory: OpenDirectory) throws(KernelError) -> FileStatus {
        try status("newfstatat", name, in: directory.descriptor, flags: AT_SYMLINK_NOFOLLOW)
    }

    /// glibc implements stat and lstat with `fstatat` (the kernel's newfstatat); their traces
    /// keep the names a learner knows, and newfstatat's shows its directory and flags.
    private static func status(
        _ call: String, _ path: String, in directory: FileDescriptor? = nil, flags: Int32
    ) throws(KernelError) -> FileStatus {
        var status: FileStatus?
        let arguments = { () -> [String] in
            let middle = [tracePath(path), status?.traceDescription ?? "0x…"]
            guard let directory else { return middle }
            return ["\(directory)"] + middle + [flags == AT_SYMLINK_NOFOLLOW ? "AT_SYMLINK_NOFOLLOW" : "0"]
        }
        try syscall(call, arguments()) {
            var buffer = Glibc.stat()
            let result = fstatat(directory?.rawValue ?? AT_FDCWD, path, &buffer, flags)
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
