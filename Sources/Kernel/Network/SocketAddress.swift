#if canImport(Glibc)
import Glibc
#endif

extension IPAddress {
    /// The IPv4 socket address for this address, or nil for IPv6 (the probes speak IPv4, as
    /// Docker's default networks do).
    func socketAddress(port: UInt16 = 0) -> sockaddr_in? {
        guard bytes.count == 4 else { return nil }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = bytes.withUnsafeBytes { $0.load(as: UInt32.self) }
        return address
    }
}

extension SocketEnd {
    /// Makes `call` (bind, connect, sendto) with this end as its IPv4 `sockaddr` and length:
    /// the one place that builds one. EAFNOSUPPORT, as the kernel answers an IPv4 socket
    /// given another family, for an IPv6 address.
    @discardableResult
    func passed<R: BinaryInteger>(to call: String, _ arguments: [String], _ body: (UnsafePointer<sockaddr>, socklen_t) -> R) throws(KernelError) -> R {
        guard var socketAddress = address.socketAddress(port: port) else {
            throw KernelError(call: call, arguments: arguments, errno: Errno(EAFNOSUPPORT))
        }
        return try syscall(call, arguments) {
            withUnsafePointer(to: &socketAddress) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
    }
}

/// Waits at most `milliseconds` (forever when negative) until `fd` has something to read.
/// The trace shows `shown`, the whole wait the caller allowed, so that it reads the same
/// every run when the caller waits for what is left of it.
///
/// The corresponding C function is `poll`.
func awaitReadable(_ fd: FileDescriptor, milliseconds: Int32, shown: Int32? = nil) throws(KernelError) -> Bool {
    var waiting = pollfd(fd: fd.rawValue, events: Int16(POLLIN), revents: 0)
    return try syscall("poll", ["[{fd=\(fd), events=POLLIN}]", "1", String(shown ?? milliseconds)]) { poll(&waiting, 1, milliseconds) } > 0
}

/// A non-blocking IPv4 TCP socket, closed on exec: a listener's or a connection's.
///
/// The corresponding C function is `socket`.
func tcpSocket() throws(KernelError) -> FileDescriptor {
    FileDescriptor(rawValue: try syscall("socket", ["AF_INET", "SOCK_STREAM|SOCK_CLOEXEC|SOCK_NONBLOCK", "IPPROTO_TCP"]) {
        socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), Int32(IPPROTO_TCP))
    })
}
