#if canImport(Glibc)
import Glibc
#endif

/// A directory held open, from which the `*at` calls resolve names: the kernel starts at this
/// inode, so a symbolic link planted in a path string since cannot redirect them. Whoever
/// opens one closes it.
public struct OpenDirectory: Sendable {
    let file: OpenFile

    var descriptor: FileDescriptor { file.descriptor }

    /// Opens the directory at `path`, as `ls` does; a symbolic link there is followed, since
    /// the caller named it.
    ///
    /// The corresponding C function is `open`.
    public static func open(_ path: String) throws(KernelError) -> OpenDirectory {
        OpenDirectory(file: try OpenFile.open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC))
    }

    /// Opens the directory `path` names below this one, where every component, the last
    /// included, must be a real directory: the kernel refuses a symbolic link on the way
    /// (ELOOP; ENOTDIR when it is the last component), however harmless its target, and a
    /// `..` or absolute name that leaves (EXDEV).
    ///
    /// The corresponding C function is `openat2` with `RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS`.
    public func openDirectory(_ path: String) throws(KernelError) -> OpenDirectory {
        OpenDirectory(file: try OpenFile.open(
            path, in: file, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, resolve: [.beneath, .noSymlinks, .noMagicLinks]
        ))
    }

    /// The names in the directory, `.` and `..` left out, in the order the kernel gives them.
    ///
    /// The corresponding C function is `getdents64`.
    public func names() throws(KernelError) -> [String] {
        var names: [String] = []
        var batch: [String]
        repeat {
            batch = try file.directoryEntries()
            names += batch
        } while !batch.isEmpty
        return names.filter { $0 != "." && $0 != ".." }
    }

    /// The corresponding C function is `close`.
    public consuming func close() throws(KernelError) {
        try file.close()
    }
}
