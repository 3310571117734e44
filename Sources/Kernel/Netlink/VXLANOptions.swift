/// A VXLAN link's settings: `ip link add NAME type vxlan id ID [local A] [remote A | group A]
/// [dstport P] [dev D] [nolearning]`.
public struct VXLANOptions: Sendable {
    /// The VXLAN network identifier, 24 bits: which segment frames belong to.
    public var id: UInt32
    /// The source address of the UDP packets.
    public var local: IPAddress?
    /// Where frames with no learned destination go: a unicast peer (`remote`) or a multicast
    /// group (`group`). The kernel keeps both in one attribute and tells them apart itself.
    public var remote: IPAddress?
    /// The UDP port; IANA's is 4789, and the kernel's default when none is given is 8472.
    public var port: UInt16?
    /// The link the UDP packets leave through (`dev`).
    public var device: LinkReference?
    /// Whether the bridge learns MAC-to-remote mappings from the packets it receives.
    public var learning: Bool

    public init(
        id: UInt32, local: IPAddress? = nil, remote: IPAddress? = nil, port: UInt16? = nil,
        device: LinkReference? = nil, learning: Bool = true
    ) {
        self.id = id
        self.local = local
        self.remote = remote
        self.port = port
        self.device = device
        self.learning = learning
    }

    /// `IFLA_VXLAN_*` in the order `ip link add … type vxlan` writes them.
    func attributes(link: Int32?) -> [NetlinkAttribute] {
        typealias VXLAN = LinkInfo.VXLAN
        var attributes: [NetlinkAttribute] = []
        if let link { attributes.append(.integer(VXLAN.link, UInt32(link))) }
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
