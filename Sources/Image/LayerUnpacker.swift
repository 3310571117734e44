import Kernel

/// Writes a layer's members into an empty directory as overlayfs wants a lower layer: the
/// files as they are, `.wh.NAME` members as 0,0 character devices named NAME and
/// `.wh..wh..opq` as the opaque xattr on its directory.
///
/// A layer is untrusted input that BoxLab unpacks as root, so, as in containerd and umoci,
/// no member is made by a path string: each is made relative to a descriptor of its parent
/// directory, which the kernel walks to from the layer's root without leaving it or following
/// a symbolic link (`OpenDirectory.openDirectory`), and its owner and mode are set by name in
/// that parent without following one. The rules, each refused in one line that names the
/// layer, the member and the rule:
/// - An absolute name, a name with `..`, and a hard link to either are refused. umoci strips
///   them (`CleanPath`) and containerd joins absolute names under the root; BoxLab refuses,
///   because no build tool writes them (Docker, BuildKit and BoxLab's ImageWriter all write
///   relative names), so a layer that holds one was made by hand or to attack, and the
///   learner should see which member and why rather than find a file where its author did
///   not put it.
/// - A member whose parent is, or goes through, a symbolic link is refused, even a link that
///   points inside: each layer is unpacked into a directory of its own, so a link in the same
///   tar that later members go through is not something a build tool writes. (containerd and
///   umoci follow such links as if the root were `/`.)
/// - A hard link's target is walked the same way and must be an earlier member; its last
///   component is linked as it is (a symbolic link is linked, not followed). As in umoci, a
///   hard link gets no owner or mode of its own: it is the inode its target's member made,
///   and a second header does not change that member's metadata.
/// - Character and block devices other than 0,0 become empty files of mode 0 that keep the
///   member's owner, as umoci makes them when it cannot make devices (containerd skips them):
///   a device node in the store would be open to whoever can reach the store (a disk as
///   `b 8,0` mode 0666), a sandbox's root cannot make one in the first place, and a
///   container's /dev is made when it runs, never taken from the image. A 0,0 character
///   device is overlayfs's whiteout and is made; so are FIFOs, which need no privilege.
/// - setuid, setgid and sticky bits are kept as the image says, as both tools keep them, and
///   set after the owner, whose change clears them. They only ever land on a member this
///   layer just made inside its directory, never through a link.
struct LayerUnpacker {
    let root: String
    /// Which layer, counted from 1, and its digest, for errors.
    let layer: Int
    let digest: Digest

    func unpack(_ entries: [TarEntry]) throws -> LayerSummary {
        let top = try OpenDirectory.open(root)
        defer { try? top.close() }
        var summary = LayerSummary()
        for entry in entries {
            do {
                try unpack(entry, in: top, into: &summary)
            } catch let error as KernelError {
                throw ImageError.unpackFailed(layer: layer, digest: digest, member: entry.path, error: error)
            }
        }
        return summary
    }

    private func unpack(_ entry: TarEntry, in top: OpenDirectory, into summary: inout LayerSummary) throws {
        let components = try components(of: entry.path, for: entry)
        guard let name = components.last else {
            // The layer's root, `./`, is the store's directory: as in umoci, a member may not
            // make it anything else (a symbolic link there would take the members after it along).
            guard entry.content == .directory else { throw refusal(entry, "would replace the layer's root directory") }
            return
        }
        let parent = try directory(components.dropLast(), in: top, for: entry, creating: true)
        defer { try? parent.close() }
        summary.members += 1
        switch Whiteout(name: name) {
        case .opaque:
            try FileSystem.setxattr(parent, Whiteout.opaqueAttribute, Array("y".utf8))
            summary.opaqueDirectories.append(components.dropLast().joined(separator: "/"))
        case .deleted(let hidden):
            // `.wh..` and `.wh...` name the directory itself and the one above it.
            guard hidden != "." && hidden != ".." else { throw refusal(entry, "whites out \(hidden), the directory it is in or the one above") }
            try replace(hidden, in: parent, keepingDirectory: false)
            try FileSystem.mknod(hidden, in: parent, type: .characterDevice, permissions: 0, device: DeviceNumber(major: 0, minor: 0))
            summary.whiteouts.append((components.dropLast() + [hidden]).joined(separator: "/"))
        case nil:
            try create(entry, named: name, in: parent, top: top, path: components.joined(separator: "/"), into: &summary)
        }
    }

    private func create(
        _ entry: TarEntry, named name: String, in parent: OpenDirectory, top: OpenDirectory,
        path: String, into summary: inout LayerSummary
    ) throws {
        try replace(name, in: parent, keepingDirectory: entry.content == .directory)
        // A whiteout needs no mode, and the empty file that stands for a device must not be opened.
        let permissions = if case .device = entry.content { UInt32(0) } else { entry.permissions }
        switch entry.content {
        case .directory:
            do { try FileSystem.mkdir(name, in: parent, mode: 0o700) } catch where error.errno == .EEXIST {}
        case .file(let bytes):
            try FileSystem.createFile(name, in: parent, bytes, mode: 0o600)
        case .symlink(let target):
            // Only text here; it is resolved when a container runs, inside the container's root.
            try FileSystem.symlink(target, at: name, in: parent)
        case .hardlink(let target):
            return try link(name, in: parent, to: target, from: top, for: entry)
        case .device(.characterDevice, DeviceNumber(major: 0, minor: 0)):
            try FileSystem.mknod(name, in: parent, type: .characterDevice, permissions: 0, device: DeviceNumber(major: 0, minor: 0))
            summary.whiteouts.append(path)
        case .device:
            try FileSystem.createFile(name, in: parent, [], mode: 0)
            summary.devices.append(path)
        case .fifo:
            try FileSystem.mknod(name, in: parent, type: .fifo, permissions: 0o600, device: DeviceNumber(major: 0, minor: 0))
        }
        try FileSystem.lchown(name, in: parent, uid: entry.uid, gid: entry.gid)
        // A symbolic link's own mode means nothing on Linux.
        if case .symlink = entry.content { return }
        // Last, after chown, which clears setuid and setgid.
        try FileSystem.chmod(name, in: parent, permissions: permissions)
    }

    /// Makes `name` in `parent` a second name of the earlier member `target`.
    private func link(_ name: String, in parent: OpenDirectory, to target: String, from top: OpenDirectory, for entry: TarEntry) throws {
        let rule = "is a hard link to \(target), which "
        let components = try components(of: target, for: entry, rule: rule)
        guard let targetName = components.last else { throw refusal(entry, rule + "is the layer's root") }
        let source = try directory(components.dropLast(), in: top, for: entry, creating: false, rule: rule)
        defer { try? source.close() }
        try FileSystem.link(targetName, in: source, at: name, in: parent)
    }

    /// A later member replaces an earlier one of the same name, as tar does, except that a
    /// directory stays a directory (its members may have come first). The name goes, never
    /// what a symbolic link there points at.
    private func replace(_ name: String, in parent: OpenDirectory, keepingDirectory: Bool) throws {
        guard let status = try? FileSystem.lstat(name, in: parent) else { return }
        if keepingDirectory && status.type == .directory { return }
        try FileSystem.removeTree(name, in: parent)
    }

    /// Opens the directory `components` name below `top`, one component at a time so that a
    /// refusal can say which one broke the rule: each must be a real directory, and is made
    /// when missing if `creating` (a tar need not list a member's parents).
    private func directory(
        _ components: ArraySlice<String>, in top: OpenDirectory, for entry: TarEntry, creating: Bool, rule: String = ""
    ) throws -> OpenDirectory {
        var current = try top.openDirectory(".")
        for index in components.indices {
            let component = components[index]
            let next: OpenDirectory
            do {
                next = try child(component, of: current, creating: creating)
            } catch {
                let walked = components[...index].joined(separator: "/")
                let type = try? FileSystem.lstat(component, in: current).type
                try? current.close()
                switch type {
                case .symlink?: throw refusal(entry, rule + "goes through the symbolic link \(walked)")
                case let type? where type != .directory: throw refusal(entry, rule + "goes through \(walked), which is not a directory")
                default: throw error
                }
            }
            try? current.close()
            current = next
        }
        return current
    }

    private func child(_ name: String, of directory: OpenDirectory, creating: Bool) throws(KernelError) -> OpenDirectory {
        do {
            return try directory.openDirectory(name)
        } catch where error.errno == .ENOENT {
            guard creating else { throw error }
            try FileSystem.mkdir(name, in: directory)
            return try directory.openDirectory(name)
        }
    }

    /// The components of a name the tar holds, without `.` and empty ones; `..` and absolute
    /// names are refused (see above). The kernel's walk would refuse them as well, but could
    /// not say which member and why.
    private func components(of path: String, for entry: TarEntry, rule: String = "") throws -> [String] {
        if path.hasPrefix("/") { throw refusal(entry, rule + "is an absolute path") }
        let components = path.split(separator: "/").map(String.init).filter { $0 != "." }
        if components.contains("..") { throw refusal(entry, rule + "climbs out with ..") }
        return components
    }

    private func refusal(_ entry: TarEntry, _ reason: String) -> ImageError {
        .unsafeEntry(layer: layer, digest: digest, member: entry.path, reason: reason)
    }
}
