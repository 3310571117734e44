#if canImport(Glibc)
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
        var contents: [UInt8] = []
        var chunk: [UInt8]
        repeat {
            chunk = try file.read(upTo: 65536)
            contents += chunk
        } while !chunk.isEmpty
        return contents
    }

    /// Replaces a file's contents with `bytes`, or appends them, creating the file with `mode`
    /// if it does not exist: what the shell's `>` and `>>` do.
    ///
    /// The corresponding C functions are `open`, `write` and `close`.
    public static func writeFile(
        _ path: String, _ bytes: [UInt8], append: Bool = false, mode: UInt32 = 0o644
    ) throws(KernelError) {
        let flags = O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC) | O_CLOEXEC
        let file = try OpenFile.open(path, flags, mode: mode)
        do {
            try file.write(bytes)
        } catch {
            try? file.close()
            throw error
        }
        // Some filesystems report a failed write-back only here.
        try file.close()
    }

    /// Removes a name; the inode goes when its last name and descriptor do.
    ///
    /// The corresponding C function is `unlink`.
    public static func unlink(_ path: String) throws(KernelError) {
        try syscall("unlink", [tracePath(path)]) { Glibc.unlink(path) }
    }

    /// Renames `from` to `to`, replacing `to` if it exists.
    ///
    /// The corresponding C function is `rename`.
    public static func rename(_ from: String, to: String) throws(KernelError) {
        try syscall("rename", [tracePath(from), tracePath(to)]) { Glibc.rename(from, to) }
    }

    /// Opens `path` and hands the descriptor to the caller, who closes it
    /// (`ChildProcess.close`); for descriptors a child process inherits.
    ///
    /// The corresponding C function is `open`.
    public static func open(_ path: String, flags: Int32, mode: UInt32? = nil) throws(KernelError) -> Int32 {
        try OpenFile.open(path, flags, mode: mode).descriptor
    }
}
