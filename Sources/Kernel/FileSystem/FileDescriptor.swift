#if canImport(Glibc)
import Glibc
#endif

/// A number the kernel gave this process for an open file, socket, pipe end or namespace,
/// as swift-system's `FileDescriptor` is (that package is not a dependency here). The trace
/// shows it as the bare number, as strace does.
///
/// Whoever opened a descriptor closes it, once: `close` gives up the number first, so
/// closing the same variable again does nothing instead of closing whatever file the kernel
/// has given that number since. (A copy made before the close still holds the number.)
public struct FileDescriptor: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public private(set) var rawValue: Int32

    public init(rawValue: Int32) {
        self.rawValue = rawValue
    }

    public var description: String { String(rawValue) }

    /// Closes the descriptor, which then holds -1. Unlike the other calls through the funnel,
    /// an interrupted close is not retried: Linux frees the number even then, and a retry
    /// could close one that another thread has just been given.
    ///
    /// The corresponding C function is `close`.
    public mutating func close() throws(KernelError) {
        guard rawValue >= 0 else { return }
        let number = rawValue
        rawValue = -1
        try syscall("close", [String(number)]) {
            let result = Glibc.close(number)
            return result == -1 && Glibc.errno == EINTR ? 0 : result
        }
    }
}

extension FileDescriptor {
    /// Closes the descriptor untraced, whatever close says: the end of a socket whose
    /// opening the trace showed, or one given up because a call setting it up failed, whose
    /// error is the one that matters.
    ///
    /// The corresponding C function is `close`.
    public func discard() {
        var descriptor = self
        Trace.untraced { try? descriptor.close() }
    }

    /// The descriptor, once `body` has set it up (bound it, connected it…); when `body` fails,
    /// the descriptor is discarded and the failure goes on.
    public func settingUp(_ body: (FileDescriptor) throws(KernelError) -> Void) throws(KernelError) -> FileDescriptor {
        do { try body(self) } catch {
            discard()
            throw error
        }
        return self
    }
}
