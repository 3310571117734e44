/// A link as a dump reports it: what `ip link show` prints about it.
public struct Link: Sendable, Equatable, CustomStringConvertible {
    public var index: Int32
    public var name: String
    /// `"veth"`, `"bridge"`…; nil for loopback and hardware.
    public var kind: String?
    /// A macvlan's or ipvlan's mode (`bridge`, `private`, `l2`, `l3`).
    public var mode: String?
    /// A VXLAN link's settings (`device` is an index).
    public var vxlan: VXLANOptions?
    /// `"bridge"` when the link is a bridge's port.
    public var slaveKind: String?
    public var flags: InterfaceFlags
    public var operationalState: OperationalState
    public var mtu: UInt32?
    public var address: MACAddress?
    /// The bridge this link is a port of.
    public var master: Int32?
    /// A veth's peer, a macvlan's or VXLAN's parent: an index in this namespace, or in the
    /// one `linkNetnsID` names.
    public var link: Int32?
    /// Set when `link` is in another namespace: that namespace's id as seen from this one.
    public var linkNetnsID: Int32?

    public init(_ message: LinkMessage) {
        index = message.index
        name = message.name ?? ""
        let info = message.linkInfo
        kind = info?.kind
        slaveKind = info?.slaveKind
        mode = info?.mode
        vxlan = info?.vxlan
        flags = message.flags
        operationalState = message.operationalState ?? .unknown
        mtu = message.mtu
        address = message.address
        master = message.master
        link = message.link
        linkNetnsID = message.linkNetnsID
    }

    /// Administratively up.
    public var isUp: Bool { flags.contains(.up) }

    /// `3: vA@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master 4 state UP veth 02:00:00:00:00:01`,
    /// with indexes where `ip` would look names up.
    public var description: String {
        var words = ["\(index): \(name)" + (link.map { "@if\($0)" } ?? "") + ":", flags.description]
        if let mtu { words.append("mtu \(mtu)") }
        if let master { words.append("master \(master)") }
        words.append("state \(operationalState)")
        if let linkNetnsID { words.append("link-netnsid \(linkNetnsID)") }
        if let kind { words.append(kind) }
        if let address { words.append(address.description) }
        return words.joined(separator: " ")
    }
}
