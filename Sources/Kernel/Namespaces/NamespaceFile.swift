#if canImport(Glibc)
import Glibc
#endif
import CBoxLab

/// An open namespace file (/proc/PID/ns/KIND or a bind mount of one); the namespace lives
/// at least as long as the descriptor.
public final class NamespaceFile: Sendable {
    public let descriptor: FileDescriptor
    public let path: String
    public let kind: NamespaceKind

    /// The corresponding C function is `open`.
    public init(_ path: String, kind: NamespaceKind) throws(KernelError) {
        descriptor = try OpenFile.open(path, O_RDONLY | O_CLOEXEC).descriptor
        self.path = path
        self.kind = kind
    }

    /// The namespace of `kind` that process `pid` is in.
    ///
    /// The corresponding C function is `open`.
    public convenience init(pid: Int32, kind: NamespaceKind) throws(KernelError) {
        try self.init("/proc/\(pid)/ns/\(kind.rawValue)", kind: kind)
    }

    deinit {
        var descriptor = descriptor
        try? descriptor.close()
    }

    /// Runs `body` on a thread of its own that joins this namespace first (only per-thread
    /// kinds: net, uts, ipc; see `onDedicatedThread`). EINVAL for the others.
    ///
    /// The corresponding C function is `setns`.
    public func perform<R>(_ body: () throws(KernelError) -> R) throws(KernelError) -> R {
        guard kind.perThread else {
            throw KernelError(call: "setns", arguments: ["\(descriptor)", kind.cloneName], errno: .EINVAL, detail: "a \(kind) namespace is the whole process's, not one thread's")
        }
        return try onDedicatedThread { () throws(KernelError) -> R in
            try syscall("setns", ["\(descriptor)", kind.cloneName]) { boxlab_setns(descriptor.rawValue, kind.cloneFlag) }
            return try body()
        }
    }
}
