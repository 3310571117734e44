#if canImport(Glibc)
import Glibc
#endif

extension FileSystem {
    /// The whole contents of `path` as a process whose root is `root` sees it (`/proc/PID/root`):
    /// the walk treats `root` as `/`, so an absolute symlink or `..` inside lands in that tree,
    /// never in the reader's own (a container's /etc/hosts linking to /etc/shadow reads the
    /// container's).
    ///
    /// The corresponding C functions are `open` (the root), `openat2` with `RESOLVE_IN_ROOT |
    /// RESOLVE_NO_MAGICLINKS`, `read` and `close`.
    public static func readFile(_ path: String, inRoot root: String) throws(KernelError) -> [UInt8] {
        let directory = try OpenFile.open(root, O_PATH | O_DIRECTORY | O_CLOEXEC)
        defer { try? directory.close() }
        let file = try OpenFile.open(path, in: directory, O_RDONLY | O_CLOEXEC, resolve: [.inRoot, .noMagicLinks])
        defer { try? file.close() }
        return try file.readToEnd()
    }
}

extension OpenFile {
    /// Reads until end of file (so `/proc` files, whose size says nothing, work too).
    ///
    /// The corresponding C function is `read`.
    func readToEnd() throws(KernelError) -> [UInt8] {
        var contents: [UInt8] = []
        var chunk: [UInt8]
        repeat {
            chunk = try read(upTo: 65536)
            contents += chunk
        } while !chunk.isEmpty
        return contents
    }
}
