/// `NFT_META_*`: what a `meta` expression loads.
public struct NFTMetaKey: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt32

    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let length = NFTMetaKey(rawValue: 0)
    /// The EtherType, big-endian.
    public static let protocolNumber = NFTMetaKey(rawValue: 1)
    public static let mark = NFTMetaKey(rawValue: 3)
    public static let inputInterface = NFTMetaKey(rawValue: 4)
    public static let outputInterface = NFTMetaKey(rawValue: 5)
    /// Interface names, 16 bytes with their NULs (a shorter comparison matches a prefix: `docker*`).
    public static let inputInterfaceName = NFTMetaKey(rawValue: 6)
    public static let outputInterfaceName = NFTMetaKey(rawValue: 7)
    public static let nfProtocol = NFTMetaKey(rawValue: 15)
    /// The transport protocol, one byte: 6 tcp, 17 udp.
    public static let l4Protocol = NFTMetaKey(rawValue: 16)

    private static let names = [
        "len", "protocol", "priority", "mark", "iif", "oif", "iifname", "oifname", "iiftype", "oiftype",
        "skuid", "skgid", "nftrace", "rtclassid", "secmark", "nfproto", "l4proto", "ibrname", "obrname",
    ]

    /// nft's name: `oifname`.
    public var description: String { rawValue < Self.names.count ? Self.names[Int(rawValue)] : "key\(rawValue)" }
}

/// `NFT_CT_*`: what a `ct` expression loads from the packet's connection.
public struct NFTConntrackKey: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt32

    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// A bit set in host order: 1 invalid, 2 established, 4 related, 8 new, 64 untracked.
    public static let state = NFTConntrackKey(rawValue: 0)
    public static let direction = NFTConntrackKey(rawValue: 1)
    public static let status = NFTConntrackKey(rawValue: 2)
    public static let mark = NFTConntrackKey(rawValue: 3)

    private static let names = [
        "state", "direction", "status", "mark", "secmark", "expiration", "helper", "l3proto", "saddr", "daddr",
        "protocol", "proto-src", "proto-dst", "label",
    ]

    public var description: String { rawValue < Self.names.count ? Self.names[Int(rawValue)] : "key\(rawValue)" }

    /// The `ct state` bits, in nft's words.
    public static let stateNames: [(bits: UInt64, name: String)] = [
        (1, "invalid"), (2, "established"), (4, "related"), (8, "new"), (64, "untracked"),
    ]
}
