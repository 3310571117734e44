import Kernel

/// The image the labs use: a root filesystem made of one static busybox and its applet
/// links, and a second layer that adds `/etc/motd` and deletes `/etc/hostname`.
public enum BusyboxImage {
    /// The applets the labs call, each a symbolic link to `/bin/busybox`, which looks at the
    /// name it was started by.
    public static let applets = [
        "sh", "ls", "cat", "echo", "ps", "mount", "umount", "hostname", "sleep", "true", "false",
        "id", "wget", "httpd", "ip", "ping", "mkdir", "rm", "touch", "env", "uname", "top", "dd", "head", "grep",
    ]

    public static let motd = "hello from layer 2\n"
    /// What the second layer deletes.
    public static let deleted = "etc/hostname"

    /// Writes the busybox image into the layout at `path`, from the busybox binary at `busybox`;
    /// `motd` is the second layer's /etc/motd (another text: another second layer on the
    /// same base). The trees are staged in a temporary directory that is removed afterwards.
    @discardableResult
    public static func build(
        into path: String, busybox: String = "/bin/busybox", compression: LayerCompression = .gzip, motd: String = motd
    ) throws -> ImageWriter.Written {
        let staging = try FileSystem.makeTemporaryDirectory(prefix: "/tmp/boxlab-image.")
        defer { try? FileSystem.removeTree(staging) }
        try makeRoot(at: "\(staging)/base", busybox: busybox)
        try makeChanges(at: "\(staging)/changes", motd: motd)
        return try ImageWriter.write(
            layerDirectories: ["\(staging)/base", "\(staging)/changes"],
            execution: .init(Env: ["PATH=/bin"], Cmd: ["/bin/sh"]), into: path, compression: compression
        )
    }

    /// The base layer's tree at `root`: `/bin` with busybox and its applets, `/etc` with the
    /// accounts and a hostname, and the empty directories a container mounts on.
    static func makeRoot(at root: String, busybox: String) throws {
        try directory(root, 0o755)
        for (name, mode) in [("bin", 0o755), ("etc", 0o755), ("proc", 0o555), ("sys", 0o555), ("dev", 0o755), ("tmp", 0o1777), ("root", 0o700)] {
            try directory("\(root)/\(name)", UInt32(mode))
        }
        try file("\(root)/bin/busybox", FileSystem.readFile(busybox), 0o755)
        for applet in applets {
            try FileSystem.symlink("busybox", at: "\(root)/bin/\(applet)")
        }
        try file("\(root)/etc/passwd", Array("root:x:0:0:root:/root:/bin/sh\n".utf8), 0o644)
        try file("\(root)/etc/group", Array("root:x:0:\n".utf8), 0o644)
        try file("\(root)/etc/hostname", Array("busybox\n".utf8), 0o644)
    }

    /// The second layer's tree at `root`, as a layer holds it: the new file, and an empty
    /// `.wh.` file standing for the deleted one.
    static func makeChanges(at root: String, motd: String) throws {
        try directory(root, 0o755)
        try directory("\(root)/etc", 0o755)
        try file("\(root)/etc/motd", Array(motd.utf8), 0o644)
        try file("\(root)/\(Whiteout.entryPath(deleting: deleted))", [], 0o644)
    }

    /// mkdir and open apply the umask; the modes are set again so that the layer's bytes
    /// do not depend on it.
    private static func directory(_ path: String, _ mode: UInt32) throws {
        try FileSystem.mkdir(path, mode: mode)
        try FileSystem.chmod(path, permissions: mode)
    }

    private static func file(_ path: String, _ bytes: [UInt8], _ mode: UInt32) throws {
        try FileSystem.writeFile(path, bytes, mode: mode)
        try FileSystem.chmod(path, permissions: mode)
    }
}
