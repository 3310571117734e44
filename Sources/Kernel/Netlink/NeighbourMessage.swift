/// The body of RTM_NEWNEIGH, RTM_DELNEIGH and RTM_GETNEIGH: `struct ndmsg` (family, link
/// index, state, flags, type; 12 bytes) and `NDA_*` attributes. With family AF_BRIDGE the
/// entries are a bridge's forwarding database: which MAC is behind which port.
public struct NeighbourMessage: Sendable, Equatable {
    public var family: AddressFamily
    public var index: Int32
    public var state: NeighbourState
    public var flags: NeighbourFlags
    /// `RTN_*`, as in routes: unicast for ordinary entries.
    public var type: UInt8
    public var attributes: [NetlinkAttribute]

    static let size = 12

    public init(
        family: AddressFamily = .unspecified, index: Int32 = 0, state: NeighbourState = [], flags: NeighbourFlags = [],
        type: UInt8 = 0, attributes: [NetlinkAttribute] = []
    ) {
        self.family = family
        self.index = index
        self.state = state
        self.flags = flags
        self.type = type
        self.attributes = attributes
    }

    init(decoding bytes: ArraySlice<UInt8>) throws(NetlinkDecodingError) {
        guard bytes.count >= Self.size else { throw NetlinkDecodingError("ndmsg needs 12 bytes, has \(bytes.count)") }
        family = AddressFamily(rawValue: bytes[bytes.startIndex])
        index = bytes.integer(at: 4)!
        state = NeighbourState(rawValue: bytes.integer(at: 8)!)
        flags = NeighbourFlags(rawValue: bytes[bytes.startIndex + 10])
        type = bytes[bytes.startIndex + 11]
        attributes = try NetlinkAttribute.decode(bytes.dropFirst(Self.size))
    }

    func encoded() -> [UInt8] {
        var bytes: [UInt8] = [family.rawValue, 0, 0, 0]
        bytes.appendInteger(index)
        bytes.appendInteger(state.rawValue)
        bytes += [flags.rawValue, type]
        return bytes + NetlinkAttribute.encode(attributes)
    }

    /// The IP address (`NDA_DST`); for a VXLAN forwarding entry, the remote it tunnels to.
    public var destination: IPAddress? { attributes.first(NDA.destination).flatMap { IPAddress(bytes: $0.payload) } }
    public var linkAddress: MACAddress? { attributes.first(NDA.linkAddress).map { MACAddress(bytes: $0.payload) } }
    public var vlan: UInt16? { attributes.first(NDA.vlan)?.integer() }
    /// The bridge a forwarding entry belongs to.
    public var master: Int32? { attributes.first(NDA.master)?.integer() }

    /// `family=AF_INET index=4 state=PERMANENT dst=10.0.0.254 lladdr=02:00:00:00:00:fe`; the
    /// flags are `ndm_flags`, as `flags` are the message's own.
    func renderedParts() -> (parts: [String], omitted: Bool) {
        var parts = ["family=\(family)"]
        if index != 0 { parts.append("index=\(index)") }
        if !state.isEmpty { parts.append("state=\(state)") }
        if !flags.isEmpty { parts.append("ndm_flags=\(flags)") }
        let rendered = Self.schema.render(attributes)
        return (parts + rendered.parts, rendered.omitted)
    }

    private static let schema = AttributeSchema([
        NDA.destination: ("dst", AttributeValue.ip),
        NDA.linkAddress: ("lladdr", AttributeValue.mac),
        NDA.vlan: ("vlan", AttributeValue.unsigned),
        NDA.port: ("port", { $0.integer(UInt16.self).map { String(UInt16(bigEndian: $0)) } ?? AttributeValue.hex($0) }),
        NDA.vni: ("vni", AttributeValue.unsigned),
        NDA.master: ("master", AttributeValue.unsigned),
        NDA.linkNetnsID: ("link_netnsid", AttributeValue.signed),
    ])
}

/// The `NDA_*` attribute types of linux/neighbour.h.
enum NDA {
    static let destination: UInt16 = 1
    static let linkAddress: UInt16 = 2
    static let vlan: UInt16 = 5
    static let port: UInt16 = 6
    static let vni: UInt16 = 7
    static let master: UInt16 = 9
    static let linkNetnsID: UInt16 = 10
}

/// The `NUD_*` states of a neighbour entry (a bridge's forwarding entries use PERMANENT for
/// static ones and NOARP, or nothing, for learned ones).
public struct NeighbourState: OptionSet, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt16

    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let incomplete = NeighbourState(rawValue: 0x01)
    public static let reachable = NeighbourState(rawValue: 0x02)
    public static let stale = NeighbourState(rawValue: 0x04)
    public static let delay = NeighbourState(rawValue: 0x08)
    public static let probe = NeighbourState(rawValue: 0x10)
    public static let failed = NeighbourState(rawValue: 0x20)
    public static let noARP = NeighbourState(rawValue: 0x40)
    /// Added by hand, never expires.
    public static let permanent = NeighbourState(rawValue: 0x80)

    private static let names: [(bits: UInt64, name: String)] = [
        (0x01, "INCOMPLETE"), (0x02, "REACHABLE"), (0x04, "STALE"), (0x08, "DELAY"), (0x10, "PROBE"),
        (0x20, "FAILED"), (0x40, "NOARP"), (0x80, "PERMANENT"),
    ]

    /// `PERMANENT`, as `ip neigh` prints it; `0` when empty.
    public var description: String { traceFlags(UInt64(rawValue), Self.names) }
}

/// The `NTF_*` flags of a neighbour entry: for forwarding entries, whose table holds it.
public struct NeighbourFlags: OptionSet, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt8

    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let use = NeighbourFlags(rawValue: 0x01)
    /// The port's own table (its own and multicast MACs): `bridge fdb` shows `self`.
    public static let own = NeighbourFlags(rawValue: 0x02)
    /// The bridge's table, learned or added with `master`.
    public static let master = NeighbourFlags(rawValue: 0x04)
    public static let proxy = NeighbourFlags(rawValue: 0x08)
    public static let externallyLearned = NeighbourFlags(rawValue: 0x10)
    public static let offloaded = NeighbourFlags(rawValue: 0x20)
    public static let sticky = NeighbourFlags(rawValue: 0x40)
    public static let router = NeighbourFlags(rawValue: 0x80)

    private static let names: [(bits: UInt64, name: String)] = [
        (0x01, "USE"), (0x02, "SELF"), (0x04, "MASTER"), (0x08, "PROXY"), (0x10, "EXT_LEARNED"),
        (0x20, "OFFLOADED"), (0x40, "STICKY"), (0x80, "ROUTER"),
    ]

    /// `SELF|MASTER`; `0` when empty.
    public var description: String { traceFlags(UInt64(rawValue), Self.names) }
}
