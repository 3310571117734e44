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

    /// Sets the owner and group of `path` itself: a symbolic link's own, not its target's.
    ///
    /// The corresponding C function is `lchown`.
    public static func lchown(_ path: String, uid: UInt32, gid: UInt32) throws(KernelError) {
        try syscall("lchown", [tracePath(path), "\(uid)", "\(gid)"]) { Glibc.lchown(path, uid, gid) }
    }
}
