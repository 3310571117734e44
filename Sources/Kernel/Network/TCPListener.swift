#if canImport(Glibc)
import Glibc
#endif
import CBoxLab

/// A TCP socket listening on one address and port, in the network namespace of the thread
/// that made it (it stays there, whichever thread accepts): the server end a check plays to
/// see which source address a connection arrives from.
public final class TCPListener: Sendable {
    public let descriptor: FileDescriptor

    /// Listens on `address`:`port`; EADDRINUSE when a server already does.
    ///
    /// The corresponding C functions are `socket`, `setsockopt(SO_REUSEADDR)`, `bind` and `listen`.
    public init(_ address: IPAddress, port: UInt16) throws(KernelError) {
        let end = SocketEnd(address: address, port: port)
        descriptor = try tcpSocket().settingUp { fd throws(KernelError) in
            // A connection the last check left in TIME_WAIT must not keep the port from being bound again.
            var on: Int32 = 1
            try syscall("setsockopt", ["\(fd)", "SOL_SOCKET", "SO_REUSEADDR", "[1]", "4"]) {
                setsockopt(fd.rawValue, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
            }
            try end.passed(to: "bind", ["\(fd)", end.traced, "16"]) { bind(fd.rawValue, $0, $1) }
            try syscall("listen", ["\(fd)", "8"]) { listen(fd.rawValue, 8) }
        }
    }

    deinit { descriptor.discard() }

    /// Waits up to `timeout` seconds for a connection, accepts it, closes it, and returns the
    /// address and port it came from: what a server there sees as its peer. Nil when none came.
    ///
    /// The corresponding C functions are `poll`, `accept4` and `close`.
    public func acceptPeer(timeout: Double) throws(KernelError) -> SocketEnd? {
        guard try awaitReadable(descriptor, milliseconds: Int32(timeout * 1000)) else { return nil }
        var peer = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let connection = FileDescriptor(rawValue: try syscall("accept4", ["\(descriptor)", "…", "[16]", "SOCK_CLOEXEC"]) {
            boxlab_accept4(descriptor.rawValue, &peer, &length, Int32(SOCK_CLOEXEC.rawValue))
        })
        connection.discard()
        return SocketEnd(peer)
    }
}
