#if canImport(Glibc)
import Glibc
#endif
import CBoxLab

/// An open network namespace file: a name under /run/netns, /proc/PID/ns/net, or
/// /proc/thread-self/ns/net. The namespace lives at least as long as the descriptor does;
/// it is closed when the last reference to this object goes.
public final class NetworkNamespace: Sendable {
    public let descriptor: Int32
    public let path: String

    /// `CLONE_NEWNET` of linux/sched.h; Glibc's module does not bring it in.
    static let cloneFlag: Int32 = 0x4000_0000

    private init(descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
    }

    /// Opens the namespace file at `path`.
    ///
    /// The corresponding C function is `open`.
    public static func open(_ path: String) throws(KernelError) -> NetworkNamespace {
        NetworkNamespace(descriptor: try OpenFile.open(path, O_RDONLY | O_CLOEXEC).descriptor, path: path)
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

    deinit {
        _ = try? syscall("close", ["\(descriptor)"]) { Glibc.close(descriptor) }
    }

    /// Runs `body` inside this namespace, on a thread started for it that joins the
    /// namespace first and ends afterwards (`setns` moves only the calling thread). A
    /// netlink socket opened in `body` stays in the namespace and may be used from any thread.
    ///
    /// The corresponding C function is `setns`.
    public func perform<R>(_ body: () throws(KernelError) -> R) throws(KernelError) -> R {
        try onDedicatedThread { () throws(KernelError) -> R in
            try syscall("setns", ["\(descriptor)", "CLONE_NEWNET"]) { boxlab_setns(descriptor, Self.cloneFlag) }
            return try body()
        }
    }

    /// Runs `body` in a new, empty network namespace, on a thread started for it; the
    /// namespace goes when nothing holds it any more (a bind mount, a descriptor, a process).
    ///
    /// The corresponding C function is `unshare`.
    static func performInNew<R>(_ body: () throws(KernelError) -> R) throws(KernelError) -> R {
        try onDedicatedThread { () throws(KernelError) -> R in
            try syscall("unshare", ["CLONE_NEWNET"]) { boxlab_unshare(cloneFlag) }
            return try body()
        }
    }
}
