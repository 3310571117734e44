/// `NFPROTO_*`: which packets a table sees. `ip` is IPv4 (what iptables-nft uses), `inet`
/// both IPv4 and IPv6; nft's own names.
public struct NetfilterFamily: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt8

    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// In a dump request: every family.
    public static let unspecified = NetfilterFamily(rawValue: 0)
    public static let inet = NetfilterFamily(rawValue: 1)
    public static let ip = NetfilterFamily(rawValue: 2)
    public static let arp = NetfilterFamily(rawValue: 3)
    public static let netdev = NetfilterFamily(rawValue: 5)
    public static let bridge = NetfilterFamily(rawValue: 7)
    public static let ip6 = NetfilterFamily(rawValue: 10)

    private static let names: [UInt8: String] = [0: "unspec", 1: "inet", 2: "ip", 3: "arp", 5: "netdev", 7: "bridge", 10: "ip6"]

    public var description: String { Self.names[rawValue] ?? "family\(rawValue)" }

    /// `family=inet` in a trace; ip, iptables' family, goes without saying, and so does a
    /// dump of every family.
    var shownInTrace: [String] {
        self == .ip || self == .unspecified ? [] : ["family=\(self)"]
    }
}
