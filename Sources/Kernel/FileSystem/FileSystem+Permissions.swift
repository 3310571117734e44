#if canImport(Glibc)
import Glibc
#endif

extension FileSystem {
    /// Sets the permission bits (with setuid, setgid and sticky) exactly, as `chmod 0755` does;
    /// unlike `mkdir` and `open`, the umask does not apply.
    ///
    /// The corresponding C function is `chmod`.
    public static func chmod(_ path: String, permissions: UInt32) throws(KernelError) {
        try syscall("chmod", [tracePath(path), traceOctal(permissions)]) { Glibc.chmod(path, permissions) }
    }

    /// Sets the owner and group of what `path` names (a symbolic link's target), as chown(1)
    /// does; nil leaves one as it is (-1 to the kernel).
    ///
    /// The corresponding C function is `chown`.
    public static func chown(_ path: String, uid: UInt32?, gid: UInt32?) throws(KernelError) {
        try syscall("chown", [tracePath(path), traceID(uid), traceID(gid)]) { Glibc.chown(path, uid ?? .max, gid ?? .max) }
    }

    /// Sets the owner and group of `path` itself: a symbolic link's own, not its target's;
    /// nil leaves one as it is.
    ///
    /// The corresponding C function is `lchown`.
    public static func lchown(_ path: String, uid: UInt32?, gid: UInt32?) throws(KernelError) {
        try syscall("lchown", [tracePath(path), traceID(uid), traceID(gid)]) { Glibc.lchown(path, uid ?? .max, gid ?? .max) }
    }

    /// An owner or group as strace shows it: -1 for "unchanged".
    private static func traceID(_ id: UInt32?) -> String { id.map { "\($0)" } ?? "-1" }

    /// Sets the owner and group of the name `name` in `directory` itself, never a symbolic
    /// link's target.
    ///
    /// The corresponding C function is `fchownat` with `AT_SYMLINK_NOFOLLOW`.
    public static func lchown(_ name: String, in directory: OpenDirectory, uid: UInt32, gid: UInt32) throws(KernelError) {
        try syscall("fchownat", ["\(directory.descriptor)", tracePath(name), "\(uid)", "\(gid)", "AT_SYMLINK_NOFOLLOW"]) {
            Glibc.fchownat(directory.descriptor.rawValue, name, uid, gid, AT_SYMLINK_NOFOLLOW)
        }
    }

    /// Sets the permission bits of the name `name` in `directory` exactly, as `chmod` does,
    /// and refuses (EOPNOTSUPP) when `name` is a symbolic link rather than change its target.
    /// glibc keeps that promise by opening `name` with `O_PATH | O_NOFOLLOW` and changing the
    /// inode it got through /proc/self/fd, or with the kernel's fchmodat2 where it has it.
    ///
    /// The corresponding C function is `fchmodat` with `AT_SYMLINK_NOFOLLOW`.
    public static func chmod(_ name: String, in directory: OpenDirectory, permissions: UInt32) throws(KernelError) {
        try syscall("fchmodat", ["\(directory.descriptor)", tracePath(name), traceOctal(permissions), "AT_SYMLINK_NOFOLLOW"]) {
            Glibc.fchmodat(directory.descriptor.rawValue, name, permissions, AT_SYMLINK_NOFOLLOW)
        }
    }
}
