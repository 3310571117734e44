#if canImport(Glibc)
import Glibc
#endif
import CBoxLab

/// An open network namespace file: a name under /run/netns, /proc/PID/ns/net, or
/// /proc/thread-self/ns/net. The namespace lives at least as long as the descriptor does;
/// it is closed when the last reference to this object goes. (A `NamespaceFile` of kind
/// net, under the name the network code knows it by.)
public final class NetworkNamespace: Sendable {
    let file: NamespaceFile

    public var descriptor: FileDescriptor { file.descriptor }
    public var path: String { file.path }

    private init(_ file: NamespaceFile) {
        self.file = file
    }

    /// Opens the namespace file at `path`.
    ///
    /// The corresponding C function is `open`.
    public static func open(_ path: String) throws(KernelError) -> NetworkNamespace {
        NetworkNamespace(try NamespaceFile(path, kind: .net))
    }

    /// The network namespace process `pid` is in.
    ///
    /// The corresponding C function is `open`.
    public static func open(pid: Int32) throws(KernelError) -> NetworkNamespace {
        try open("/proc/\(pid)/ns/net")
    }

    /// The namespace of the calling thread, which is the process's unless the thread moved.
    /// (/proc/self is the main thread's, which is not always the caller's.)
    ///
    /// The corresponding C function is `open`.
    public static func current() throws(KernelError) -> NetworkNamespace {
        try open("/proc/thread-self/ns/net")
    }

    /// Runs `body` inside this namespace, on a thread started for it (`NamespaceFile.perform`).
    /// A netlink socket opened in `body` stays in the namespace and may be used from any thread.
    ///
    /// The corresponding C function is `setns`.
    public func perform<R>(_ body: () throws(KernelError) -> R) throws(KernelError) -> R {
        try file.perform(body)
    }

    /// Runs `body` in a new, empty network namespace, on a thread started for it; the
    /// namespace goes when nothing holds it any more (a bind mount, a descriptor, a process).
    ///
    /// The corresponding C function is `unshare`.
    static func performInNew<R>(_ body: () throws(KernelError) -> R) throws(KernelError) -> R {
        try onDedicatedThread { () throws(KernelError) -> R in
            try syscall("unshare", [NamespaceKind.net.cloneName]) { boxlab_unshare(NamespaceKind.net.cloneFlag) }
            return try body()
        }
    }
}
