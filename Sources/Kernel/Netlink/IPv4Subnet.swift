/// An IPv4 subnet as a 32-bit number and a length: what `network create` checks and picks
/// addresses in, and the subnets a flannel network leases to its hosts.
public struct IPv4Subnet: Sendable, Hashable, CustomStringConvertible {
    public var base: UInt32
    public var length: UInt8

    public var mask: UInt32 { length == 0 ? 0 : ~UInt32(0) << (32 - UInt32(length)) }
    public var description: String { "\(Self.address(base))/\(length)" }

    /// `text` as A.B.C.D/L with no host bits set; nil otherwise.
    public init?(_ text: String) {
        guard let prefix = IPPrefix(text), prefix.family == .inet else { return nil }
        self.init(base: Self.number(prefix.address), length: prefix.length)
        guard base & ~mask == 0 else { return nil }
    }

    public init(base: UInt32, length: UInt8) {
        self.base = base
        self.length = length
    }

    public func contains(_ address: IPAddress) -> Bool { address.family == .inet && Self.number(address) & mask == base }
    public func overlaps(_ other: IPv4Subnet) -> Bool {
        let shorter = min(mask, other.mask)
        return base & shorter == other.base & shorter
    }

    /// The first host address: Docker's default gateway.
    public var firstHost: IPAddress { Self.address(base + 1) }
    public var isNetworkAddress: (IPAddress) -> Bool { { Self.number($0) == base } }

    public static func number(_ address: IPAddress) -> UInt32 { address.bytes.reduce(0) { $0 << 8 | UInt32($1) } }
    public static func address(_ number: UInt32) -> IPAddress {
        IPAddress(bytes: [UInt8(number >> 24), UInt8(number >> 16 & 0xff), UInt8(number >> 8 & 0xff), UInt8(number & 0xff)])!
    }
}
