#if canImport(Glibc)
import Glibc
#endif

/// One end of a connected pair of Unix stream sockets: how two BoxLab processes (a sandboxed
/// worker and its supervisor outside) talk. Blocking, closed on exec unless asked to be
/// inherited; BoxLab's own plumbing, so nothing here is traced.
public final class UnixStream: Sendable {
    public let descriptor: FileDescriptor

    /// Takes over `descriptor` (one inherited from the process that made the pair).
    public init(adopting descriptor: FileDescriptor) {
        self.descriptor = descriptor
    }

    deinit { descriptor.discard() }

    /// Two connected ends, each closed on exec.
    ///
    /// The corresponding C function is `socketpair`.
    public static func pair() throws(KernelError) -> (UnixStream, UnixStream) {
        var fds: [Int32] = [-1, -1]
        try Trace.untraced { () throws(KernelError) in
            _ = try syscall("socketpair", ["AF_UNIX", "SOCK_STREAM|SOCK_CLOEXEC", "0", "[…]"]) {
                socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &fds)
            }
        }
        return (UnixStream(adopting: FileDescriptor(rawValue: fds[0])), UnixStream(adopting: FileDescriptor(rawValue: fds[1])))
    }

    /// Sends all of `bytes`, waiting while the peer's buffer is full; EPIPE once it has gone.
    ///
    /// The corresponding C function is `send` with MSG_NOSIGNAL.
    public func send(_ bytes: [UInt8]) throws(KernelError) {
        let fd = descriptor
        var sent = 0
        try Trace.untraced { () throws(KernelError) in
            while sent < bytes.count {
                sent += try syscall("send", ["\(fd)", "…", String(bytes.count - sent), "MSG_NOSIGNAL"]) {
                    bytes.withUnsafeBytes { Glibc.send(fd.rawValue, $0.baseAddress! + sent, $0.count - sent, Int32(MSG_NOSIGNAL)) }
                }
            }
        }
    }

    /// Waits up to `milliseconds` (-1: for ever) for bytes; returns those that came (at most
    /// 64 KiB), nil when none came in time, empty when the peer closed its end.
    ///
    /// The corresponding C functions are `poll` and `recv`.
    public func receive(waiting milliseconds: Int32 = -1) throws(KernelError) -> [UInt8]? {
        let fd = descriptor
        return try Trace.untraced { () throws(KernelError) -> [UInt8]? in
            guard try awaitReadable(fd, milliseconds: milliseconds) else { return nil }
            var buffer = [UInt8](repeating: 0, count: 65536)
            let count = try syscall("recv", ["\(fd)", "…", "65536", "0"]) {
                buffer.withUnsafeMutableBytes { recv(fd.rawValue, $0.baseAddress, $0.count, 0) }
            }
            return Array(buffer[0..<count])
        }
    }

    /// Says to the other end that nothing more will be sent from this one (it reads the end
    /// of the stream), whoever else holds this end open.
    ///
    /// The corresponding C function is `shutdown` with SHUT_WR.
    public func shutDown() {
        let fd = descriptor
        Trace.untraced { _ = try? syscall("shutdown", ["\(fd)", "SHUT_WR"]) { shutdown(fd.rawValue, Int32(SHUT_WR)) } }
    }
}
