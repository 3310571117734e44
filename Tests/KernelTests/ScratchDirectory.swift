import Glibc
import Kernel

/// Runs `body` in a fresh mkdtemp directory (with a tmpfs mounted on it when `tmpfs` is true),
/// then detaches every mount left under it and removes it, so a test leaves the machine as it
/// found it even when it fails halfway.
func withScratchDirectory(tmpfs: Bool = false, _ body: (String) throws -> Void) throws {
    var template = Array("/tmp/boxlab-kernel-test.XXXXXX".utf8CString)
    guard mkdtemp(&template) != nil else { throw Errno.current }
    let path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    defer {
        detachMounts(under: path)
        try? FileSystem.removeTree(path)
    }
    if tmpfs {
        try Mounts.mount(source: "tmpfs", target: path, fstype: "tmpfs", flags: [], data: "size=8m")
        // Keep mounts made in here from propagating to peers of the parent, should / be shared.
        try Mounts.mount(source: nil, target: path, fstype: nil, flags: .private, data: nil)
    }
    try body(path)
}

/// Unmounts the innermost mounts first; peers of a shared mount may vanish along with it, so
/// the table is read again until nothing under `path` is left.
private func detachMounts(under path: String) {
    for _ in 0..<8 {
        guard let mounts = try? MountTable.read().mounts(under: path), !mounts.isEmpty else { return }
        for mount in mounts.reversed() {
            try? Mounts.unmount(mount.mountPoint, flags: .detach)
        }
    }
}

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
