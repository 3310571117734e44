/// `CTA_STATUS`, the kernel's `IPS_*` bits: what happened to a connection so far.
public struct ConntrackStatus: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32

    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let expected = ConntrackStatus(rawValue: 1 << 0)
    /// Packets went both ways; until then conntrack(8) says `[UNREPLIED]`.
    public static let seenReply = ConntrackStatus(rawValue: 1 << 1)
    /// The connection is kept even when the table is full: `[ASSURED]`.
    public static let assured = ConntrackStatus(rawValue: 1 << 2)
    public static let confirmed = ConntrackStatus(rawValue: 1 << 3)
    /// A NAT rule rewrote the source (SNAT, MASQUERADE) or the destination (DNAT).
    public static let sourceNAT = ConntrackStatus(rawValue: 1 << 4)
    public static let destinationNAT = ConntrackStatus(rawValue: 1 << 5)
    public static let sourceNATDone = ConntrackStatus(rawValue: 1 << 7)
    public static let destinationNATDone = ConntrackStatus(rawValue: 1 << 8)
    public static let dying = ConntrackStatus(rawValue: 1 << 9)
    public static let offload = ConntrackStatus(rawValue: 1 << 14)

    private static let names: [(ConntrackStatus, String)] = [
        (.expected, "EXPECTED"), (.seenReply, "SEEN_REPLY"), (.assured, "ASSURED"), (.confirmed, "CONFIRMED"),
        (.sourceNAT, "SRC_NAT"), (.destinationNAT, "DST_NAT"), (.sourceNATDone, "SRC_NAT_DONE"),
        (.destinationNATDone, "DST_NAT_DONE"), (.dying, "DYING"), (.offload, "OFFLOAD"),
    ]

    /// `SEEN_REPLY|ASSURED|CONFIRMED|SRC_NAT`: the bits by the kernel's names (without `IPS_`),
    /// and any other as a number.
    public var description: String {
        let named = Self.names.filter { contains($0.0) }
        let rest = rawValue & ~named.reduce(0) { $0 | $1.0.rawValue }
        let words = named.map(\.1) + (rest == 0 ? [] : ["0x" + String(rest, radix: 16)])
        return words.isEmpty ? "0" : words.joined(separator: "|")
    }
}
