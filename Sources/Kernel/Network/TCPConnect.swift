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
        try TCPStream(connectingTo: address, port: port, timeout: timeout).localEnd()
    }
}
