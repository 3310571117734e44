#if canImport(Glibc)
import Glibc
#endif

/// A connected TCP socket, in the network namespace of the thread that connected it (it
/// stays there, whichever thread reads): the byte stream an HTTP client speaks over. The
/// socket is non-blocking, so every wait has a deadline and a silent peer cannot hang BoxLab.
public final class TCPStream: Sendable {
    public let descriptor: FileDescriptor

    /// Connects to `address`:`port` within `timeout` seconds; throws the errno of the failure
    /// (ECONNREFUSED, ETIMEDOUT, ENETUNREACH, EHOSTUNREACH…).
    ///
    /// The corresponding C calls are `socket`, `connect` (non-blocking), `poll` and `getsockopt(SO_ERROR)`.
    public init(connectingTo address: IPAddress, port: UInt16, timeout: Double = 1) throws(KernelError) {
        descriptor = try tcpSocket().settingUp { fd throws(KernelError) in
            try Self.connect(fd, to: SocketEnd(address: address, port: port), timeout: timeout)
        }
    }

    deinit { descriptor.discard() }

    private static func connect(_ fd: FileDescriptor, to end: SocketEnd, timeout: Double) throws(KernelError) {
        let rendered = ["\(fd)", end.traced, "16"]
        do {
            try end.passed(to: "connect", rendered) { Glibc.connect(fd.rawValue, $0, $1) }
            return
        } catch where error.errno != Errno(EINPROGRESS) {
            throw error
        } catch {
            // A non-blocking connect is under way: wait for it below, up to the timeout.
        }
        var descriptor = pollfd(fd: fd.rawValue, events: Int16(POLLOUT), revents: 0)
        let ready = try syscall("poll", ["[{fd=\(fd), events=POLLOUT}]", "1", String(Int(timeout * 1000))]) {
            poll(&descriptor, 1, Int32(timeout * 1000))
        }
        guard ready > 0 else { throw KernelError(call: "connect", arguments: rendered, errno: Errno(ETIMEDOUT)) }
        var failure: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        try syscall("getsockopt", ["\(fd)", "SOL_SOCKET", "SO_ERROR", "…", "4"]) { getsockopt(fd.rawValue, SOL_SOCKET, SO_ERROR, &failure, &length) }
        if failure != 0 { throw KernelError(call: "connect", arguments: rendered, errno: Errno(failure)) }
    }

    /// This end of the connection as the kernel chose it: the address and port the server
    /// sees, unless NAT rewrites them on the way.
    ///
    /// The corresponding C function is `getsockname`.
    public func localEnd() throws(KernelError) -> SocketEnd {
        try SocketEnd.local(of: descriptor)
    }

    /// Sends all of `bytes`, waiting (at most `timeout` seconds each time) while the socket's
    /// buffer is full; ETIMEDOUT when the peer reads nothing for that long.
    ///
    /// The corresponding C functions are `send` (MSG_NOSIGNAL: a peer that has gone is EPIPE,
    /// not a signal) and `poll`.
    public func send(_ bytes: [UInt8], timeout: Double = 5) throws(KernelError) {
        let fd = descriptor
        var sent = 0
        while sent < bytes.count {
            do throws(KernelError) {
                let rest = Array(bytes[sent...])
                sent += try syscall("send", ["\(fd)", traceQuote(rest), String(rest.count), "MSG_NOSIGNAL"]) {
                    Glibc.send(fd.rawValue, rest, rest.count, Int32(MSG_NOSIGNAL))
                }
            } catch where error.errno == Errno(EAGAIN) {
                var waiting = pollfd(fd: fd.rawValue, events: Int16(POLLOUT), revents: 0)
                let ready = try syscall("poll", ["[{fd=\(fd), events=POLLOUT}]", "1", String(Int(timeout * 1000))]) {
                    poll(&waiting, 1, Int32(timeout * 1000))
                }
                if ready == 0 { throw KernelError(call: "send", arguments: ["\(fd)"], errno: Errno(ETIMEDOUT)) }
            }
        }
    }

    /// Waits up to `timeout` seconds for bytes and returns those that came (at most 64 KiB);
    /// nil when none came in time, empty when the peer closed its end.
    ///
    /// The corresponding C functions are `poll` and `recv`.
    public func receive(timeout: Double) throws(KernelError) -> [UInt8]? {
        let fd = descriptor
        guard try awaitReadable(fd, milliseconds: Int32(timeout * 1000)) else { return nil }
        return try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 65536) { (buffer) throws(KernelError) -> [UInt8]? in
            do throws(KernelError) {
                let count = try syscall("recv", ["\(fd)", "…", "65536", "0"]) { recv(fd.rawValue, buffer.baseAddress, buffer.count, 0) }
                return Array(buffer[0..<count])
            } catch where error.errno == Errno(EAGAIN) {
                // poll saw something (an RST already consumed, a spurious wakeup): nothing to read yet.
                return nil
            }
        }
    }
}
