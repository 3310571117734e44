/// One change to a link: what follows `ip link set DEV`. Several go in one request.
public enum LinkChange: Sendable {
    case up
    case down
    /// Makes the link a port of a bridge (or bond).
    case master(LinkReference)
    case noMaster
    /// Moves the link to another network namespace; its addresses and routes are lost.
    case namespace(NamespaceTarget)
    case name(String)
    case mtu(UInt32)
    case address(MACAddress)
    /// New settings of the link's kind: `type macvlan mode private` changes a macvlan's mode.
    case kind(LinkKind)

    /// Writes the change into a NEWLINK request: up and down into the header's flags and
    /// change mask, the rest as attributes.
    func apply(to message: inout LinkMessage, resolve: (LinkReference) throws(KernelError) -> Int32) throws(KernelError) {
        switch self {
        case .up:
            message.flags.insert(.up)
            message.change.insert(.up)
        case .down:
            message.flags.remove(.up)
            message.change.insert(.up)
        case .master(let master):
            message.attributes.append(.integer(IFLA.master, UInt32(bitPattern: try resolve(master))))
        case .noMaster:
            message.attributes.append(.integer(IFLA.master, UInt32(0)))
        case .namespace(let target):
            message.attributes.append(target.attribute)
        case .name(let name):
            try validateInterfaceName(name, for: .newLink)
            message.attributes.append(.string(IFLA.ifname, name))
        case .mtu(let mtu):
            message.attributes.append(.integer(IFLA.mtu, mtu))
        case .address(let address):
            message.attributes.append(NetlinkAttribute(type: IFLA.address, payload: address.bytes))
        case .kind(let kind):
            message.attributes.append(kind.linkInfo(vxlanLink: nil))
        }
    }
}
