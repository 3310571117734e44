#if canImport(Glibc)
import Glibc
#endif

/// The `AF_*` family a message's header names: which addresses its attributes hold, or
/// which table a dump reads (AF_BRIDGE neighbours are the bridge forwarding database).
public struct AddressFamily: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt8

    public init(rawValue: UInt8) { self.rawValue = rawValue }
    private init(_ family: Int32) { rawValue = UInt8(family) }

    public static let unspecified = AddressFamily(AF_UNSPEC)
    public static let inet = AddressFamily(AF_INET)
    public static let inet6 = AddressFamily(AF_INET6)
    public static let bridge = AddressFamily(AF_BRIDGE)
    public static let packet = AddressFamily(AF_PACKET)

    private static let names: [UInt8: String] = [
        unspecified.rawValue: "AF_UNSPEC", inet.rawValue: "AF_INET", inet6.rawValue: "AF_INET6",
        bridge.rawValue: "AF_BRIDGE", packet.rawValue: "AF_PACKET",
    ]

    /// `AF_INET`.
    public var description: String { Self.names[rawValue] ?? "AF_\(rawValue)" }
}
