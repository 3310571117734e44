#if canImport(Glibc)
import Glibc
#endif

/// Whether a TCP connection can be made, from the network namespace of the calling thread.
public enum TCPConnect {
    /// Tries to connect to `address`:`port` within `timeout` seconds; throws the errno of the
    /// failure (ECONNREFUSED, ETIMEDOUT, ENETUNREACH, EHOSTUNREACH…). Returns the connection's
    /// own end as the kernel chose it: the address and port the server sees, unless NAT
    /// rewrites them on the way.
    ///
    /// The corresponding C calls are `socket`, `connect` (non-blocking), `poll`, `getsockopt(SO_ERROR)` and `getsockname`.
    @discardableResult
    public static func probe(_ address: IPAddress, port: UInt16, timeout: Double = 1) throws(KernelError) -> SocketEnd {
        let fd = try syscall("socket", ["AF_INET", "SOCK_STREAM|SOCK_CLOEXEC|SOCK_NONBLOCK", "IPPROTO_TCP"]) {
            socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), Int32(IPPROTO_TCP))
        }
        defer { close(fd) }
        let end = SocketEnd(address: address, port: port)
        let rendered = [String(fd), end.traced, "16"]
        do {
            try end.passed(to: "connect", rendered) { connect(fd, $0, $1) }
            return try SocketEnd.local(of: fd)
        } catch where error.errno != Errno(EINPROGRESS) {
            throw error
        } catch {
            // A non-blocking connect is under way: wait for it below, up to the timeout.
        }
        var descriptor = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        let ready = try syscall("poll", ["[{fd=\(fd), events=POLLOUT}]", "1", String(Int(timeout * 1000))]) {
            poll(&descriptor, 1, Int32(timeout * 1000))
        }
        guard ready > 0 else { throw KernelError(call: "connect", arguments: rendered, errno: Errno(ETIMEDOUT)) }
        var failure: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        try syscall("getsockopt", [String(fd), "SOL_SOCKET", "SO_ERROR", "…", "4"]) { getsockopt(fd, SOL_SOCKET, SO_ERROR, &failure, &length) }
        if failure != 0 { throw KernelError(call: "connect", arguments: rendered, errno: Errno(failure)) }
        return try SocketEnd.local(of: fd)
    }
}
