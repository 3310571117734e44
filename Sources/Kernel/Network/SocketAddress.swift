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
