/// A register of nf_tables' virtual machine: 0 holds the verdict; 1 to 4 are 16 bytes
/// wide (what iptables-nft and nft use for addresses and ports), and 8 to 23 name the same
/// space in 4-byte steps.
public struct NFTRegister: RawRepresentable, Sendable, Hashable, Comparable, CustomStringConvertible {
    public let rawValue: UInt32

    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let verdict = NFTRegister(rawValue: 0)
    public static let r1 = NFTRegister(rawValue: 1)
    public static let r2 = NFTRegister(rawValue: 2)
    public static let r3 = NFTRegister(rawValue: 3)
    public static let r4 = NFTRegister(rawValue: 4)

    public var description: String { "reg \(rawValue)" }

    /// Ranges of registers (a NAT's lowest and highest address) run in their numbers' order.
    public static func < (left: NFTRegister, right: NFTRegister) -> Bool { left.rawValue < right.rawValue }
}
