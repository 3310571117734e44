import Kernel

/// An IPv4 subnet as a 32-bit number and a length: what `network create` checks and picks
/// addresses in.
struct IPv4Subnet: Sendable, Equatable, CustomStringConvertible {
    var base: UInt32
    var length: UInt8

    var mask: UInt32 { length == 0 ? 0 : ~UInt32(0) << (32 - UInt32(length)) }
    var description: String { "\(Self.address(base))/\(length)" }

    /// `text` as A.B.C.D/L with no host bits set; nil otherwise.
    init?(_ text: String) {
        guard let prefix = IPPrefix(text), prefix.family == .inet else { return nil }
        self.init(base: Self.number(prefix.address), length: prefix.length)
        guard base & ~mask == 0 else { return nil }
    }

    init(base: UInt32, length: UInt8) {
        self.base = base
        self.length = length
    }

    func contains(_ address: IPAddress) -> Bool { address.family == .inet && Self.number(address) & mask == base }
    func overlaps(_ other: IPv4Subnet) -> Bool {
        let shorter = min(mask, other.mask)
        return base & shorter == other.base & shorter
    }

    /// The first host address: Docker's default gateway.
    var firstHost: IPAddress { Self.address(base + 1) }
    var isNetworkAddress: (IPAddress) -> Bool { { Self.number($0) == base } }

    static func number(_ address: IPAddress) -> UInt32 { address.bytes.reduce(0) { $0 << 8 | UInt32($1) } }
    static func address(_ number: UInt32) -> IPAddress {
        IPAddress(bytes: [UInt8(number >> 24), UInt8(number >> 16 & 0xff), UInt8(number >> 8 & 0xff), UInt8(number & 0xff)])!
    }
}
