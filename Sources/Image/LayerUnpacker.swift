import Kernel

/// Writes a layer's members into an empty directory as overlayfs wants a lower layer: the
/// files as they are, `.wh.NAME` members as 0,0 character devices named NAME and
/// `.wh..wh..opq` as the opaque xattr on its directory.
struct LayerUnpacker {
    let root: String
    /// Which layer, counted from 1, for errors.
    let layer: Int

    func unpack(_ entries: [TarEntry]) throws -> LayerSummary {
        var summary = LayerSummary()
        for entry in entries {
            let components = try safeComponents(entry.path)
            guard let name = components.last else { continue }  // the layer's root itself, `./`
            let parent = components.dropLast()
            try makeParents(parent)
            let parentPath = ([root] + parent).joined(separator: "/")
            summary.members += 1
            switch Whiteout(name: name) {
            case .opaque:
                try FileSystem.setxattr(parentPath, Whiteout.opaqueAttribute, Array("y".utf8))
                summary.opaqueDirectories.append(parent.joined(separator: "/"))
            case .deleted(let hidden):
                try replaceable(parentPath + "/" + hidden, keepingDirectory: false)
                try FileSystem.mknod(parentPath + "/" + hidden, type: .characterDevice, permissions: 0, device: DeviceNumber(major: 0, minor: 0))
                summary.whiteouts.append((parent + [hidden]).joined(separator: "/"))
            case nil:
                try create(entry, at: parentPath + "/" + name)
            }
        }
        return summary
    }

    private func create(_ entry: TarEntry, at path: String) throws {
        try replaceable(path, keepingDirectory: entry.content == .directory)
        switch entry.content {
        case .directory:
            do { try FileSystem.mkdir(path, mode: 0o700) } catch where error.errno == .EEXIST {}
        case .file(let bytes):
            try FileSystem.writeFile(path, bytes, mode: 0o600)
        case .symlink(let target):
            try FileSystem.symlink(target, at: path)
        case .hardlink(let target):
            try FileSystem.link(([root] + safeComponents(target)).joined(separator: "/"), at: path)
        case .device(let type, let device):
            try FileSystem.mknod(path, type: type, permissions: 0o600, device: device)
        case .fifo:
            try FileSystem.mknod(path, type: .fifo, permissions: 0o600, device: DeviceNumber(major: 0, minor: 0))
        }
        try FileSystem.lchown(path, uid: entry.uid, gid: entry.gid)
        // chmod follows symbolic links, and a link's own mode means nothing on Linux.
        if case .symlink = entry.content { return }
        // Last, after chown, which clears setuid and setgid.
        try FileSystem.chmod(path, permissions: entry.permissions)
    }

    /// A later member replaces an earlier one of the same name, as tar does, except that a
    /// directory stays a directory (its members may have come first).
    private func replaceable(_ path: String, keepingDirectory: Bool) throws {
        guard let status = try? FileSystem.lstat(path) else { return }
        if keepingDirectory && status.type == .directory { return }
        try FileSystem.removeTree(path)
    }

    /// Creates the missing directories above a member (tars need not list them) and refuses
    /// to go through a symbolic link, which could point anywhere on the host.
    private func makeParents(_ components: ArraySlice<String>) throws {
        var path = root
        for component in components {
            path += "/" + component
            if let status = try? FileSystem.lstat(path) {
                if status.type == .symlink {
                    throw ImageError.unsafeEntry(layer: layer, path: components.joined(separator: "/"), reason: "goes through the symbolic link \(component)")
                }
            } else {
                try FileSystem.mkdir(path)
            }
        }
    }

    /// The path's components without `.` and empty ones; `..` and absolute paths could
    /// reach outside the layer and are refused.
    private func safeComponents(_ path: String) throws -> [String] {
        if path.hasPrefix("/") { throw ImageError.unsafeEntry(layer: layer, path: path, reason: "is absolute") }
        let components = path.split(separator: "/").map(String.init).filter { $0 != "." }
        if components.contains("..") { throw ImageError.unsafeEntry(layer: layer, path: path, reason: "climbs out with ..") }
        return components
    }
}
