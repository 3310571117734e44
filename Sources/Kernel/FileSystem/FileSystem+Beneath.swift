#if canImport(Glibc)
import Glibc
#endif

extension FileSystem {
    /// Succeeds when the kernel walks `path`, relative to the directory `root`, without
    /// leaving it: no `..`, absolute name or symlink (anywhere on the way) takes the walk out.
    /// The last component is followed only with `followingLast` (a symlink `rm` removes is
    /// the link itself). A walk that would leave fails with EXDEV; a missing component with
    /// ENOENT, as any open does.
    ///
    /// The corresponding C functions are `open` (the root) and `openat2` with
    /// `RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS`.
    public static func walkBeneath(_ root: String, _ path: String, followingLast: Bool) throws(KernelError) {
        let directory = try OpenFile.open(root, O_PATH | O_DIRECTORY | O_CLOEXEC)
        defer { try? directory.close() }
        let flags = O_PATH | O_CLOEXEC | (followingLast ? 0 : O_NOFOLLOW)
        let file = try OpenFile.open(path, in: directory, flags, resolve: [.beneath, .noMagicLinks])
        try? file.close()
    }
}
