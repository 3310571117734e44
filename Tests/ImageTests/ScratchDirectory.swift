import Glibc
import Kernel

/// Runs `body` in a fresh temporary directory, then unmounts whatever the test left mounted
/// under it and removes it, so a test leaves nothing behind even when it fails halfway.
func withScratchDirectory(_ body: (String) throws -> Void) throws {
    let path = try FileSystem.makeTemporaryDirectory(prefix: "/tmp/boxlab-image-test.")
    defer {
        if let mounts = try? MountTable.read().mounts(under: path) {
            for mount in mounts.reversed() { try? Mounts.unmount(mount.mountPoint, flags: .detach) }
        }
        try? FileSystem.removeTree(path)
    }
    try body(path)
}

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

func exists(_ path: String) -> Bool { (try? FileSystem.lstat(path)) != nil }
