import Kernel

/// A directory tree read back as tar members: what goes into a layer made from a directory.
enum DirectoryTree {
    /// The members for everything below `root` (not `root` itself), parents before children
    /// and names sorted, so that the same tree always gives the same stream. Owners and
    /// times are left out on purpose (`TarWriter` sets them); a second name of an inode
    /// becomes a hard link to the first.
    static func entries(of root: String) throws -> [TarEntry] {
        var entries: [TarEntry] = []
        var firstNames: [UInt64: String] = [:]
        func walk(_ relative: String) throws {
            let directory = relative.isEmpty ? root : root + "/" + relative
            for name in try FileSystem.listDirectory(directory) {
                let path = relative.isEmpty ? name : relative + "/" + name
                let full = root + "/" + path
                let status = try FileSystem.lstat(full)
                let content: TarEntry.Content
                switch status.type {
                case .directory: content = .directory
                case .symlink: content = .symlink(target: try FileSystem.readlink(full))
                case .regular:
                    if status.links > 1, let first = firstNames[status.inode] {
                        content = .hardlink(target: first)
                    } else {
                        firstNames[status.inode] = path
                        content = .file(try FileSystem.readFile(full))
                    }
                case .characterDevice, .blockDevice: content = .device(status.type, status.rdev)
                case .fifo: content = .fifo
                case .socket: continue  // a socket is a live endpoint, not content: tar skips it too
                }
                entries.append(TarEntry(path: path, content: content, permissions: status.permissions))
                if status.type == .directory { try walk(path) }
            }
        }
        try walk("")
        return entries
    }
}
