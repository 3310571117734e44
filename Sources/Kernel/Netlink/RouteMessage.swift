/// The body of RTM_NEWROUTE, RTM_DELROUTE and RTM_GETROUTE: `struct rtmsg` (family,
/// destination and source prefix lengths, TOS, table, protocol, scope, type, flags;
/// 12 bytes) and `RTA_*` attributes. A default route has destination length 0 and no
/// `RTA_DST`; a table above 255 goes in `RTA_TABLE` with the header's table 0.
public struct RouteMessage: Sendable, Equatable {
    public var family: AddressFamily
    public var destinationLength: UInt8
    public var sourceLength: UInt8
    public var tos: UInt8
    public var table: UInt8
    public var routeProtocol: RouteProtocol
    public var scope: RouteScope
    public var type: RouteType
    public var flags: UInt32
    public var attributes: [NetlinkAttribute]

    static let size = 12

    public init(
        family: AddressFamily = .unspecified, destinationLength: UInt8 = 0, sourceLength: UInt8 = 0, tos: UInt8 = 0,
        table: UInt8 = 0, routeProtocol: RouteProtocol = .unspecified, scope: RouteScope = .universe,
        type: RouteType = .unspecified, flags: UInt32 = 0, attributes: [NetlinkAttribute] = []
    ) {
        self.family = family
        self.destinationLength = destinationLength
        self.sourceLength = sourceLength
        self.tos = tos
        self.table = table
        self.routeProtocol = routeProtocol
        self.scope = scope
        self.type = type
        self.flags = flags
        self.attributes = attributes
    }

    init(decoding bytes: ArraySlice<UInt8>) throws(NetlinkDecodingError) {
        guard bytes.count >= Self.size else { throw NetlinkDecodingError("rtmsg needs 12 bytes, has \(bytes.count)") }
        let header = Array(bytes.prefix(8))
        family = AddressFamily(rawValue: header[0])
        destinationLength = header[1]
        sourceLength = header[2]
        tos = header[3]
        table = header[4]
        routeProtocol = RouteProtocol(rawValue: header[5])
        scope = RouteScope(rawValue: header[6])
        type = RouteType(rawValue: header[7])
        flags = bytes.integer(at: 8)!
        attributes = try NetlinkAttribute.decode(bytes.dropFirst(Self.size))
    }

    func encoded() -> [UInt8] {
        var bytes = [
            family.rawValue, destinationLength, sourceLength, tos, table, routeProtocol.rawValue, scope.rawValue, type.rawValue,
        ]
        bytes.appendInteger(flags)
        return bytes + NetlinkAttribute.encode(attributes)
    }

    /// RTNH_F_ONLINK: the gateway is taken to be on the output link, whatever its address.
    static let onlink: UInt32 = 0x04

    /// `rtm_flags` says the gateway is on the link without a route to it: `ip route` prints `onlink`.
    public var isOnLink: Bool { flags & Self.onlink != 0 }

    /// `RTA_DST` with the header's length; `0.0.0.0/0` (or `::/0`) for a default route.
    public var destination: IPPrefix? {
        let address = attributes.first(RTA.destination).flatMap { IPAddress(bytes: $0.payload) }
            ?? IPAddress(bytes: [UInt8](repeating: 0, count: family == .inet6 ? 16 : 4))
        return address.flatMap { IPPrefix(address: $0, length: destinationLength) }
    }
    public var gateway: IPAddress? { attributes.first(RTA.gateway).flatMap { IPAddress(bytes: $0.payload) } }
    public var outputInterface: Int32? { attributes.first(RTA.outputInterface)?.integer() }
    public var preferredSource: IPAddress? { attributes.first(RTA.preferredSource).flatMap { IPAddress(bytes: $0.payload) } }
    public var priority: UInt32? { attributes.first(RTA.priority)?.integer() }
    /// `RTA_TABLE` when present (it holds tables above 255), else the header's byte.
    public var fullTable: RouteTable {
        RouteTable(rawValue: attributes.first(RTA.table)?.integer(UInt32.self) ?? UInt32(table))
    }

    /// `family=AF_INET table=main protocol=boot type=unicast dst=10.9.0.0/16 gateway=10.0.0.254`.
    func renderedParts() -> (parts: [String], omitted: Bool) {
        var parts = ["family=\(family)"]
        let hasDestination = attributes.first(RTA.destination) != nil, hasSource = attributes.first(RTA.source) != nil
        // The prefix lengths are shown with the addresses they belong to, when there are any.
        if destinationLength != 0 && !hasDestination { parts.append("dst_len=\(destinationLength)") }
        if sourceLength != 0 && !hasSource { parts.append("src_len=\(sourceLength)") }
        if tos != 0 { parts.append("tos=\(tos)") }
        if table != 0 && attributes.first(RTA.table) == nil { parts.append("table=\(RouteTable(rawValue: UInt32(table)))") }
        if routeProtocol != .unspecified { parts.append("protocol=\(routeProtocol)") }
        if scope != .universe { parts.append("scope=\(scope)") }
        if type != .unspecified { parts.append("type=\(type)") }
        if flags != 0 { parts.append("rtm_flags=" + traceFlags(UInt64(flags), Self.flagNames)) }
        var schema = Self.schema
        let destinationLength = destinationLength, sourceLength = sourceLength
        schema.fields[RTA.destination] = ("dst", { "\(AttributeValue.ip($0))/\(destinationLength)" })
        schema.fields[RTA.source] = ("src", { "\(AttributeValue.ip($0))/\(sourceLength)" })
        let rendered = schema.render(attributes)
        return (parts + rendered.parts, rendered.omitted)
    }

    /// `RTNH_F_*` (the next hop's) and `RTM_F_*` (the request's) of linux/rtnetlink.h.
    private static let flagNames: [(bits: UInt64, name: String)] = [
        (0x01, "DEAD"), (0x02, "PERVASIVE"), (0x04, "ONLINK"), (0x08, "OFFLOAD"), (0x10, "LINKDOWN"), (0x20, "UNRESOLVED"),
        (0x40, "TRAP"), (0x100, "NOTIFY"), (0x200, "CLONED"), (0x400, "EQUALIZE"), (0x800, "PREFIX"), (0x1000, "LOOKUP_TABLE"),
        (0x2000, "FIB_MATCH"),
    ]

    private static let schema = AttributeSchema([
        RTA.inputInterface: ("iif", AttributeValue.unsigned),
        RTA.outputInterface: ("oif", AttributeValue.unsigned),
        RTA.gateway: ("gateway", AttributeValue.ip),
        RTA.priority: ("priority", AttributeValue.unsigned),
        RTA.preferredSource: ("prefsrc", AttributeValue.ip),
        RTA.table: ("table", { RouteTable(rawValue: $0.integer(UInt32.self) ?? 0).description }),
        RTA.preference: ("pref", { ["medium", "high", "2", "low"][Int(($0.payload.first ?? 0) & 3)] }),
    ])
}

/// The `RTA_*` attribute types of linux/rtnetlink.h.
enum RTA {
    static let destination: UInt16 = 1
    static let source: UInt16 = 2
    static let inputInterface: UInt16 = 3
    static let outputInterface: UInt16 = 4
    static let gateway: UInt16 = 5
    static let priority: UInt16 = 6
    static let preferredSource: UInt16 = 7
    static let table: UInt16 = 15
    static let preference: UInt16 = 20
}
