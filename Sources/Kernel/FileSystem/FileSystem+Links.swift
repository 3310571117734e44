#if canImport(Glibc)
import Glibc
#endif

extension FileSystem {
    /// Creates a symbolic link at `path` whose contents are `target`; the target need not exist.
    ///
    /// The corresponding C function is `symlink`.
    public static func symlink(_ target: String, at path: String) throws(KernelError) {
        try syscall("symlink", [tracePath(target), tracePath(path)]) { Glibc.symlink(target, path) }
    }

    /// The contents of a symbolic link.
    ///
    /// The corresponding C function is `readlink`.
    public static func readlink(_ path: String) throws(KernelError) -> String {
        // Link contents are stored in at most a page, so PATH_MAX bytes always suffice.
        let size = Int(PATH_MAX)
        var buffer = [UInt8](repeating: 0, count: size)
        var target: String?
        try syscall("readlink", [tracePath(path), target.map(tracePath) ?? "0x…", "\(size)"]) {
            let result = buffer.withUnsafeMutableBytes {
                Glibc.readlink(path, $0.baseAddress!.assumingMemoryBound(to: CChar.self), size)
            }
            if result >= 0 { target = String(decoding: buffer[..<result], as: UTF8.self) }
            return result
        }
        return target!
    }

    /// The path the kernel reached `path` by, every symlink, `.` and `..` resolved: the file
    /// is opened (O_PATH, so nothing is read) and /proc/self/fd names it, as realpath(3)
    /// would without a race between its steps.
    ///
    /// The corresponding C functions are `open` (O_PATH) and `readlink`.
    public static func realPath(_ path: String) throws(KernelError) -> String {
        let file = try OpenFile.open(path, O_PATH | O_CLOEXEC)
        defer { try? file.close() }
        return try readlink("/proc/self/fd/\(file.descriptor)")
    }

    /// Gives the inode `existing` names a second name, `path`, as `ln` does without `-s`.
    ///
    /// The corresponding C function is `link`.
    public static func link(_ existing: String, at path: String) throws(KernelError) {
        try syscall("link", [tracePath(existing), tracePath(path)]) { Glibc.link(existing, path) }
    }

    /// Creates the symbolic link `name` in `directory`, whose contents are `target`; the
    /// target is only text and is not looked at.
    ///
    /// The corresponding C function is `symlinkat`.
    public static func symlink(_ target: String, at name: String, in directory: OpenDirectory) throws(KernelError) {
        try syscall("symlinkat", [tracePath(target), "\(directory.descriptor)", tracePath(name)]) {
            Glibc.symlinkat(target, directory.descriptor.rawValue, name)
        }
    }

    /// Gives the inode that `existing` names in `source` a second name, `name` in `directory`.
    /// A symbolic link at `existing` is linked itself, never followed (no `AT_SYMLINK_FOLLOW`).
    ///
    /// The corresponding C function is `linkat`.
    public static func link(
        _ existing: String, in source: OpenDirectory, at name: String, in directory: OpenDirectory
    ) throws(KernelError) {
        try syscall("linkat", ["\(source.descriptor)", tracePath(existing), "\(directory.descriptor)", tracePath(name), "0"]) {
            Glibc.linkat(source.descriptor.rawValue, existing, directory.descriptor.rawValue, name, 0)
        }
    }
}
