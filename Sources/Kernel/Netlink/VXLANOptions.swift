/// A VXLAN link's settings: `ip link add NAME type vxlan id ID [local A] [remote A | group A]
/// [dev D] [srcport MIN MAX] [dstport P] [ttl N] [ageing S] [nolearning]`, and what a dump
/// reports of one (`ip -d link show`).
public struct VXLANOptions: Sendable, Equatable {
    /// The VXLAN network identifier, 24 bits: which segment frames belong to.
    public var id: UInt32
    /// The source address of the UDP packets.
    public var local: IPAddress?
    /// Where frames with no learned destination go: a unicast peer (`remote`) or a multicast
    /// group (`group`). The kernel keeps both in one attribute and tells them apart itself.
    public var remote: IPAddress?
    /// The UDP port; IANA's is 4789, and the kernel's default when none is given is 8472.
    public var port: UInt16?
    /// The link the UDP packets leave through (`dev`); an index in a dump.
    public var device: LinkReference?
    /// Whether the bridge learns MAC-to-remote mappings from the packets it receives.
    public var learning: Bool
    /// The UDP source ports, chosen by a hash of the inner flow so that the network can
    /// spread flows; `0...0` (a dump's default) is the host's ephemeral range.
    public var sourcePorts: ClosedRange<UInt16>?
    /// The outer packets' TTL; 0 in a dump (or nil) is `auto`: the route's.
    public var ttl: UInt8?
    /// Seconds a learned forwarding entry lives unused; the kernel's default is 300.
    public var ageing: UInt32?

    public init(
        id: UInt32, local: IPAddress? = nil, remote: IPAddress? = nil, port: UInt16? = nil,
        device: LinkReference? = nil, learning: Bool = true, sourcePorts: ClosedRange<UInt16>? = nil,
        ttl: UInt8? = nil, ageing: UInt32? = nil
    ) {
        self.id = id
        self.local = local
        self.remote = remote
        self.port = port
        self.device = device
        self.learning = learning
        self.sourcePorts = sourcePorts
        self.ttl = ttl
        self.ageing = ageing
    }

    /// A dump's `IFLA_INFO_DATA` of a VXLAN link; nil without `IFLA_VXLAN_ID`.
    init?(dumped data: [NetlinkAttribute]) {
        typealias VXLAN = LinkInfo.VXLAN
        guard let id = data.first(VXLAN.id)?.integer(UInt32.self) else { return nil }
        let address = { (type: UInt16) in data.first(type).flatMap { IPAddress(bytes: $0.payload) } }
        self.init(
            id: id, local: address(VXLAN.local) ?? address(VXLAN.local6), remote: address(VXLAN.group) ?? address(VXLAN.group6),
            port: data.first(VXLAN.port)?.integer(UInt16.self).map(UInt16.init(bigEndian:)),
            device: data.first(VXLAN.link)?.integer(Int32.self).map(LinkReference.index),
            learning: data.first(VXLAN.learning)?.integer(UInt8.self) != 0,
            sourcePorts: data.first(VXLAN.portRange).flatMap { range in
                let ports = range.payload
                guard ports.count == 4 else { return nil }
                let low = UInt16(ports[0]) << 8 | UInt16(ports[1]), high = UInt16(ports[2]) << 8 | UInt16(ports[3])
                return low <= high ? low...high : nil
            },
            ttl: data.first(VXLAN.ttl)?.integer(UInt8.self), ageing: data.first(VXLAN.ageing)?.integer(UInt32.self)
        )
    }

    /// `IFLA_VXLAN_*` in the order `ip link add … type vxlan` writes them (it writes the
    /// source ports, TTL and ageing as it reads them, before the rest).
    func attributes(link: Int32?) -> [NetlinkAttribute] {
        typealias VXLAN = LinkInfo.VXLAN
        var attributes: [NetlinkAttribute] = []
        if let link { attributes.append(.integer(VXLAN.link, UInt32(link))) }
        if let sourcePorts {
            attributes.append(NetlinkAttribute(type: VXLAN.portRange, payload: [sourcePorts.lowerBound, sourcePorts.upperBound].flatMap {
                [UInt8($0 >> 8), UInt8($0 & 0xff)]
            }))
        }
        if let ttl { attributes.append(.integer(VXLAN.ttl, ttl)) }
        if let ageing { attributes.append(.integer(VXLAN.ageing, ageing)) }
        attributes.append(.integer(VXLAN.id, id))
        if let local {
            attributes.append(NetlinkAttribute(type: local.family == .inet ? VXLAN.local : VXLAN.local6, payload: local.bytes))
        }
        if let remote {
            attributes.append(NetlinkAttribute(type: remote.family == .inet ? VXLAN.group : VXLAN.group6, payload: remote.bytes))
        }
        attributes.append(.integer(VXLAN.learning, UInt8(learning ? 1 : 0)))
        if let port { attributes.append(.bigEndian(VXLAN.port, port)) }
        return attributes
    }
}
