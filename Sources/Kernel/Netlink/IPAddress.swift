#if canImport(Glibc)
import Glibc
#endif

/// An IPv4 or IPv6 address, kept as the bytes netlink carries: network byte order.
public struct IPAddress: Sendable, Hashable, CustomStringConvertible, LosslessStringConvertible {
    public let bytes: [UInt8]

    /// 4 bytes make an IPv4 address, 16 an IPv6 one; any other count is not an address.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 4 || bytes.count == 16 else { return nil }
        self.bytes = bytes
    }

    /// Parses `10.0.0.1` or `fd00::1`.
    ///
    /// The corresponding C function is `inet_pton`.
    public init?(_ text: String) {
        for (family, size) in [(AF_INET, 4), (AF_INET6, 16)] {
            var buffer = [UInt8](repeating: 0, count: size)
            if inet_pton(family, text, &buffer) == 1 {
                bytes = buffer
                return
            }
        }
        return nil
    }

    public var family: AddressFamily { bytes.count == 4 ? .inet : .inet6 }

    /// 224.0.0.0/4 or ff00::/8: an address that names a group (VXLAN's `group` rather than `remote`).
    public var isMulticast: Bool {
        bytes.count == 4 ? bytes[0] & 0xf0 == 0xe0 : bytes[0] == 0xff
    }

    /// `10.0.0.1`, `fd00::1` (RFC 5952's shortest form).
    ///
    /// The corresponding C function is `inet_ntop`.
    public var description: String {
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let family = bytes.count == 4 ? AF_INET : AF_INET6
        _ = inet_ntop(family, bytes, &text, socklen_t(text.count))
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// An address with a prefix length: `10.0.0.1/24` (an interface address) or `10.9.0.0/16`
/// (a route's destination). `0.0.0.0/0` and `::/0` are the default routes.
public struct IPPrefix: Sendable, Hashable, CustomStringConvertible, LosslessStringConvertible {
    public let address: IPAddress
    public let length: UInt8

    public init?(address: IPAddress, length: UInt8) {
        guard Int(length) <= address.bytes.count * 8 else { return nil }
        self.address = address
        self.length = length
    }

    /// Parses `10.0.0.1/24`; an address without a length is a host: /32 or /128.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPAddress(String(parts[0])) else { return nil }
        let length = parts.count == 2 ? UInt8(parts[1]) : UInt8(address.bytes.count * 8)
        guard let length else { return nil }
        self.init(address: address, length: length)
    }

    public static let defaultIPv4 = IPPrefix(address: IPAddress(bytes: [0, 0, 0, 0])!, length: 0)!
    public static let defaultIPv6 = IPPrefix(address: IPAddress(bytes: [UInt8](repeating: 0, count: 16))!, length: 0)!

    public var family: AddressFamily { address.family }
    public var isDefault: Bool { length == 0 }

    /// `10.0.0.1/24`.
    public var description: String { "\(address)/\(length)" }
}
