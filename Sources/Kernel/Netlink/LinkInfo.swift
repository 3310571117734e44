/// `IFLA_LINKINFO`: what kind of link this is (`IFLA_INFO_KIND`, `"veth"`), the kind's own
/// settings (`IFLA_INFO_DATA`, read with the kind's attribute types), and, for a port of a
/// bridge or bond, the master's kind (`IFLA_INFO_SLAVE_KIND`) and per-port settings.
public struct LinkInfo: Sendable, Equatable {
    public var attributes: [NetlinkAttribute]

    public init(attributes: [NetlinkAttribute]) {
        self.attributes = attributes
    }

    /// `"veth"`, `"bridge"`, `"vxlan"`…; nil for loopback and hardware.
    public var kind: String? { attributes.first(Info.kind)?.string }
    /// `"bridge"` on a bridge's ports.
    public var slaveKind: String? { attributes.first(Info.slaveKind)?.string }
    /// `IFLA_INFO_DATA`'s attributes, whose types mean what `kind` says they mean.
    public var data: [NetlinkAttribute] { attributes.first(Info.data)?.children ?? [] }

    /// A macvlan's or ipvlan's mode as `ip -d link` names it (`bridge`, `l2`); nil for other kinds.
    public var mode: String? {
        switch kind {
        case "macvlan": data.first(MACVLAN.mode)?.integer(UInt32.self).flatMap(MACVLANMode.init(rawValue:))?.description
        case "ipvlan": data.first(IPVLAN.mode)?.integer(UInt16.self).flatMap(IPVLANMode.init(rawValue:))?.description
        default: nil
        }
    }

    /// A VXLAN link's settings as the kernel reports them; nil for other kinds.
    public var vxlan: VXLANOptions? { kind == "vxlan" ? VXLANOptions(dumped: data) : nil }

    /// A veth request's other end: an ifinfomsg and its attributes, as in RTM_NEWLINK itself.
    /// The kernel never reports it back; a dump names the peer with `IFLA_LINK` instead.
    public var peer: LinkMessage? {
        guard kind == "veth", let peer = data.first(Veth.peer) else { return nil }
        return try? LinkMessage(decoding: peer.payload[...])
    }

    /// `{kind="veth", peer={ifname="veth-blue", net_ns_fd=5}}`.
    var rendered: String {
        var parts: [String] = []
        var omitted = false
        for attribute in attributes {
            switch attribute.type {
            case Info.kind: parts.append("kind=\(traceQuote(attribute.string))")
            case Info.slaveKind: parts.append("slave_kind=\(traceQuote(attribute.string))")
            case Info.data:
                let data = renderedData(attribute.children ?? [])
                parts += data.parts
                omitted = omitted || data.omitted
            default: omitted = true
            }
        }
        return AttributeValue.braced((parts, omitted))
    }

    private func renderedData(_ data: [NetlinkAttribute]) -> (parts: [String], omitted: Bool) {
        if let peer {
            return (["peer=" + AttributeValue.braced(peer.renderedParts())], data.count > 1)
        }
        guard let schema = kind.flatMap({ Self.dataSchemas[$0] }) else { return ([], !data.isEmpty) }
        return schema.render(data)
    }

    private static let dataSchemas: [String: AttributeSchema] = [
        "vxlan": AttributeSchema([
            VXLAN.id: ("id", AttributeValue.unsigned),
            VXLAN.group: ("group", AttributeValue.ip),
            VXLAN.link: ("link", AttributeValue.unsigned),
            VXLAN.local: ("local", AttributeValue.ip),
            VXLAN.ttl: ("ttl", AttributeValue.unsigned),
            VXLAN.learning: ("learning", AttributeValue.unsigned),
            VXLAN.ageing: ("ageing", AttributeValue.unsigned),
            VXLAN.portRange: ("port_range", { $0.payload.count == 4 ? "\(UInt16($0.payload[0]) << 8 | UInt16($0.payload[1]))-\(UInt16($0.payload[2]) << 8 | UInt16($0.payload[3]))" : AttributeValue.hex($0) }),
            VXLAN.port: ("port", { $0.integer(UInt16.self).map { String(UInt16(bigEndian: $0)) } ?? AttributeValue.hex($0) }),
            VXLAN.group6: ("group6", AttributeValue.ip),
            VXLAN.local6: ("local6", AttributeValue.ip),
        ]),
        "macvlan": AttributeSchema([
            MACVLAN.mode: ("mode", { $0.integer(UInt32.self).flatMap(MACVLANMode.init(rawValue:))?.description ?? AttributeValue.unsigned($0) }),
        ]),
        "ipvlan": AttributeSchema([
            IPVLAN.mode: ("mode", { $0.integer(UInt16.self).flatMap(IPVLANMode.init(rawValue:))?.description ?? AttributeValue.unsigned($0) }),
            IPVLAN.flags: ("flags", AttributeValue.unsigned),
        ]),
        "bridge": AttributeSchema([
            Bridge.forwardDelay: ("forward_delay", AttributeValue.unsigned),
            Bridge.helloTime: ("hello_time", AttributeValue.unsigned),
            Bridge.maxAge: ("max_age", AttributeValue.unsigned),
            Bridge.ageingTime: ("ageing_time", AttributeValue.unsigned),
            Bridge.stpState: ("stp_state", AttributeValue.unsigned),
            Bridge.priority: ("priority", AttributeValue.unsigned),
            Bridge.vlanFiltering: ("vlan_filtering", AttributeValue.unsigned),
        ]),
    ]

    enum Info {
        static let kind: UInt16 = 1
        static let data: UInt16 = 2
        static let slaveKind: UInt16 = 4
    }

    enum Veth {
        static let peer: UInt16 = 1
    }

    enum VXLAN {
        static let id: UInt16 = 1
        static let group: UInt16 = 2
        static let link: UInt16 = 3
        static let local: UInt16 = 4
        static let ttl: UInt16 = 5
        static let learning: UInt16 = 7
        static let ageing: UInt16 = 8
        static let portRange: UInt16 = 10
        static let port: UInt16 = 15
        static let group6: UInt16 = 16
        static let local6: UInt16 = 17
    }

    enum MACVLAN {
        static let mode: UInt16 = 1
    }

    enum IPVLAN {
        static let mode: UInt16 = 1
        static let flags: UInt16 = 2
    }

    /// `IFLA_BR_*`: a bridge reports some fifty settings; these are the ones lessons mention.
    enum Bridge {
        static let forwardDelay: UInt16 = 1
        static let helloTime: UInt16 = 2
        static let maxAge: UInt16 = 3
        static let ageingTime: UInt16 = 4
        static let stpState: UInt16 = 5
        static let priority: UInt16 = 6
        static let vlanFiltering: UInt16 = 7
    }
}
