#if canImport(Glibc)
import Glibc
#endif

/// One end of a TCP connection: an IPv4 address and a port, as `getsockname`, `getpeername`
/// and `accept` report them.
public struct SocketEnd: Sendable, Hashable, CustomStringConvertible {
    public var address: IPAddress
    public var port: UInt16

    public init(address: IPAddress, port: UInt16) {
        self.address = address
        self.port = port
    }

    init(_ address: sockaddr_in) {
        self.address = withUnsafeBytes(of: address.sin_addr.s_addr) { IPAddress(bytes: Array($0))! }
        port = UInt16(bigEndian: address.sin_port)
    }

    /// `172.17.0.2:40000`.
    public var description: String { "\(address):\(port)" }

    /// `{sin_family=AF_INET, sin_port=htons(40000), sin_addr=172.17.0.2}`, strace's words.
    var traced: String { "{sin_family=AF_INET, sin_port=htons(\(port)), sin_addr=\(address)}" }

    /// The local end of the socket `fd`.
    ///
    /// The corresponding C function is `getsockname`.
    static func local(of fd: FileDescriptor) throws(KernelError) -> SocketEnd {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        try syscall("getsockname", ["\(fd)", "…", "[16]"]) {
            withUnsafeMutablePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd.rawValue, $0, &length) }
            }
        }
        return SocketEnd(address)
    }
}
