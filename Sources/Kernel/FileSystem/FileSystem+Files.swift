#if canImport(Glibc)
import CBoxLab
import Glibc
#endif

extension FileSystem {
    /// The whole contents of a file, read until end of file (so `/proc` files work too).
    ///
    /// The corresponding C functions are `open`, `read` and `close`.
    public static func readFile(_ path: String) throws(KernelError) -> [UInt8] {
        let file = try OpenFile.open(path, O_RDONLY | O_CLOEXEC)
        // Nothing was written through the descriptor, so a failing close loses nothing.
        defer { try? file.close() }
        return try file.readToEnd()
    }

    /// Replaces a file's contents with `bytes`, or appends them, creating the file with `mode`
    /// if it does not exist: what the shell's `>` and `>>` do.
    ///
    /// The corresponding C functions are `open`, `write` and `close`.
    public static func writeFile(
        _ path: String, _ bytes: [UInt8], append: Bool = false, mode: UInt32 = 0o644
    ) throws(KernelError) {
        let flags = O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC) | O_CLOEXEC
        try write(bytes, to: OpenFile.open(path, flags, mode: mode))
    }

    /// Creates the file `name` in `directory` with `bytes` in it; fails with EEXIST when
    /// anything has that name, a symbolic link included, so nothing is written through one.
    /// The umask clears bits of `mode`.
    ///
    /// The corresponding C functions are `openat2` (`O_CREAT | O_EXCL`), `write` and `close`.
    public static func createFile(
        _ name: String, in directory: OpenDirectory, _ bytes: [UInt8], mode: UInt32 = 0o644
    ) throws(KernelError) {
        let flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC
        try write(bytes, to: OpenFile.open(name, in: directory.file, flags, mode: mode, resolve: [.beneath, .noSymlinks]))
    }

    /// Writes `bytes` to `file` and closes it, reporting a failed write-back, which some
    /// filesystems report only at close.
    private static func write(_ bytes: [UInt8], to file: OpenFile) throws(KernelError) {
        do {
            try file.write(bytes)
        } catch {
            try? file.close()
            throw error
        }
        try file.close()
    }

    /// Removes a name; the inode goes when its last name and descriptor do.
    ///
    /// The corresponding C function is `unlink`.
    public static func unlink(_ path: String) throws(KernelError) {
        try syscall("unlink", [tracePath(path)]) { Glibc.unlink(path) }
    }

    /// Removes the name `name` in `directory`, an empty directory's with `isDirectory`;
    /// a symbolic link is removed, never followed.
    ///
    /// The corresponding C function is `unlinkat`.
    public static func unlink(_ name: String, in directory: OpenDirectory, isDirectory: Bool = false) throws(KernelError) {
        try syscall("unlinkat", ["\(directory.descriptor)", tracePath(name), isDirectory ? "AT_REMOVEDIR" : "0"]) {
            Glibc.unlinkat(directory.descriptor.rawValue, name, isDirectory ? AT_REMOVEDIR : 0)
        }
    }

    /// Renames `from` to `to`, replacing `to` if it exists.
    ///
    /// The corresponding C function is `rename`.
    public static func rename(_ from: String, to: String) throws(KernelError) {
        try syscall("rename", [tracePath(from), tracePath(to)]) { Glibc.rename(from, to) }
    }

    /// Renames `name` in `directory` to `newName` in `target`, failing with EEXIST where
    /// `newName` exists; neither name's symbolic link is followed.
    ///
    /// The corresponding C function is `renameat2`.
    public static func rename(_ name: String, in directory: OpenDirectory, to newName: String, in target: OpenDirectory) throws(KernelError) {
        try syscall("renameat2", ["\(directory.descriptor)", tracePath(name), "\(target.descriptor)", tracePath(newName), "RENAME_NOREPLACE"]) {
            boxlab_renameat_noreplace(directory.descriptor.rawValue, name, target.descriptor.rawValue, newName)
        }
    }

    /// Opens `path` and hands the descriptor to the caller, who closes it; for descriptors a
    /// child process inherits.
    ///
    /// The corresponding C function is `open`.
    public static func open(_ path: String, flags: Int32, mode: UInt32? = nil) throws(KernelError) -> FileDescriptor {
        try OpenFile.open(path, flags, mode: mode).descriptor
    }
}
