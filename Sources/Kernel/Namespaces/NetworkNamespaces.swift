#if canImport(Glibc)
import Glibc
#endif

/// Named network namespaces the way iproute2 keeps them, so `ip netns` and
/// `nsenter --net=/run/netns/NAME` see BoxLab's and BoxLab sees theirs: a namespace is kept
/// alive by bind-mounting its nsfs file on an empty file named after it in `directory`.
///
/// The directory is made a shared mount of itself the first time, as `ip netns add` does,
/// so that a namespace deleted in one mount namespace is unmounted in its peers too and
/// the kernel can free it.
public struct NetworkNamespaces: Sendable {
    public let directory: String

    public init(directory: String = "/run/netns") {
        self.directory = directory
    }

    /// The file that names the namespace.
    public func path(of name: String) -> String {
        directory + "/" + name
    }

    /// Creates an empty network namespace called `name` (only `lo`, down). Fails with EEXIST
    /// when the name is taken. `journal` is given the new namespace's inode before it is bound
    /// to its name, so that `reset` can tell the file that holds it from any other.
    ///
    /// The corresponding C functions are `mkdir`, `mount`, `open`, `unshare`, `stat` and `mount`.
    public func add(_ name: String, journal: (UInt64) throws(KernelError) -> Void = { _ in }) throws(KernelError) {
        try validate(name)
        try prepareDirectory()
        let path = path(of: name)
        try OpenFile.open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode: 0).close()
        do throws(KernelError) {
            try NetworkNamespace.performInNew { () throws(KernelError) in
                try journal(try Trace.untraced { () throws(KernelError) in try FileSystem.stat("/proc/thread-self/ns/net").inode })
                try Mounts.mount(source: "/proc/thread-self/ns/net", target: path, fstype: "none", flags: .bind, data: nil)
            }
        } catch {
            try? FileSystem.unlink(path)
            throw error
        }
    }

    /// Unmounts the namespace's file and removes it. The namespace itself goes when its last
    /// user does: a process inside it or a descriptor keeps it.
    ///
    /// The corresponding C functions are `umount2` and `unlink`.
    public func delete(_ name: String) throws(KernelError) {
        try validate(name)
        let path = path(of: name)
        // As `ip netns delete`: a file that is not mounted on (left by a crash) still goes.
        try? Mounts.unmount(path, flags: .detach)
        try FileSystem.unlink(path)
    }

    /// The names in the directory, sorted; none when it does not exist.
    ///
    /// The corresponding C functions are `open`, `getdents64` and `close`.
    public func list() throws(KernelError) -> [String] {
        do throws(KernelError) {
            return try FileSystem.listDirectory(directory)
        } catch where error.errno == .ENOENT {
            return []
        }
    }

    /// Opens the namespace called `name`.
    ///
    /// The corresponding C function is `open`.
    public func open(_ name: String) throws(KernelError) -> NetworkNamespace {
        try validate(name)
        return try NetworkNamespace.open(path(of: name))
    }

    /// Makes `directory` exist and be a shared mount: if it is not a mount point, making it
    /// shared fails with EINVAL, and it is bind-mounted on itself first.
    private func prepareDirectory() throws(KernelError) {
        do throws(KernelError) {
            try FileSystem.mkdir(directory, mode: 0o755)
        } catch where error.errno == .EEXIST {}
        do throws(KernelError) {
            try makeShared()
        } catch where error.errno == .EINVAL {
            try Mounts.mount(source: directory, target: directory, fstype: "none", flags: [.bind, .recursive], data: nil)
            try makeShared()
        }
    }

    private func makeShared() throws(KernelError) {
        try Mounts.mount(source: "", target: directory, fstype: "none", flags: [.shared, .recursive], data: nil)
    }

    /// Why `name` cannot name a namespace, or nil when it can: it is one path component of
    /// at most NAME_MAX bytes, as `ip netns` requires, so it never leaves `directory`.
    public static func problem(with name: String) -> String? {
        guard name.isEmpty || name == "." || name == ".." || name.contains("/") || name.utf8.contains(0)
            || name.utf8.count > Int(NAME_MAX) else { return nil }
        return "a namespace name is one path component of at most \(NAME_MAX) bytes: no \"/\", not \".\" or \"..\""
    }

    private func validate(_ name: String) throws(KernelError) {
        guard let problem = Self.problem(with: name) else { return }
        throw KernelError(
            call: "netns", arguments: [traceQuote(name), "/* \(problem) */"], errno: .EINVAL,
            detail: "\(traceQuote(name)) is not a namespace name: \(problem)"
        )
    }
}
