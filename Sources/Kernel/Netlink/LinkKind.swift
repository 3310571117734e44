/// The kind of link to create, with the settings that kind takes when it is created:
/// what follows `type` in `ip link add NAME type KIND …`.
public enum LinkKind: Sendable {
    /// Two links joined like the ends of a cable; `peer` names the other end, created in
    /// `peerNamespace` when one is given (else beside the first).
    case veth(peer: String, peerNamespace: NamespaceTarget? = nil)
    /// A software switch; links join it as ports by setting it as their master.
    case bridge
    /// A link that drops everything sent to it: somewhere to put an address.
    case dummy
    /// An Ethernet segment tunnelled in UDP between hosts.
    case vxlan(VXLANOptions)
    /// Extra links with their own MACs on top of a parent link (`parent` of `addLink`).
    case macvlan(MACVLANMode)
    /// Extra links sharing the parent's MAC, told apart by IP address.
    case ipvlan(IPVLANMode)

    /// The `IFLA_INFO_KIND` string.
    public var name: String {
        switch self {
        case .veth: "veth"
        case .bridge: "bridge"
        case .dummy: "dummy"
        case .vxlan: "vxlan"
        case .macvlan: "macvlan"
        case .ipvlan: "ipvlan"
        }
    }

    /// `IFLA_LINKINFO` for the request, in the order `ip link add` writes it. `vxlanLink` is
    /// the index of the VXLAN options' device, which the caller has looked up.
    func linkInfo(vxlanLink: Int32?) -> NetlinkAttribute {
        // The kind goes without a NUL, as iproute2 sends it.
        var info = [NetlinkAttribute.string(LinkInfo.Info.kind, name, terminated: false)]
        if let data = data(vxlanLink: vxlanLink) {
            info.append(.nested(LinkInfo.Info.data, data))
        }
        return .nested(IFLA.linkInfo, info)
    }

    private func data(vxlanLink: Int32?) -> [NetlinkAttribute]? {
        switch self {
        case .veth(let peer, let namespace):
            let attributes = (namespace.map { [$0.attribute] } ?? []) + [.string(IFLA.ifname, peer)]
            return [NetlinkAttribute(type: LinkInfo.Veth.peer, payload: LinkMessage(attributes: attributes).encoded())]
        case .bridge, .dummy:
            return nil
        case .vxlan(let options):
            return options.attributes(link: vxlanLink)
        case .macvlan(let mode):
            return [.integer(LinkInfo.MACVLAN.mode, mode.rawValue)]
        case .ipvlan(let mode):
            return [.integer(LinkInfo.IPVLAN.mode, mode.rawValue), .integer(LinkInfo.IPVLAN.flags, UInt16(0))]
        }
    }
}

/// Where a link goes: a namespace file BoxLab holds open (`IFLA_NET_NS_FD`), or the network
/// namespace of a process (`IFLA_NET_NS_PID`).
public enum NamespaceTarget: Sendable {
    case namespace(NetworkNamespace)
    case pid(Int32)

    /// `IFLA_NET_NS_FD` or `IFLA_NET_NS_PID`.
    var attribute: NetlinkAttribute {
        switch self {
        case .namespace(let namespace): .integer(IFLA.netnsFD, namespace.descriptor.rawValue)
        case .pid(let pid): .integer(IFLA.netnsPID, UInt32(bitPattern: pid))
        }
    }

    /// `NETNSA_FD` or `NETNSA_PID`.
    var namespaceAttribute: NetlinkAttribute {
        switch self {
        case .namespace(let namespace): .integer(NETNSA.descriptor, namespace.descriptor.rawValue)
        case .pid(let pid): .integer(NETNSA.pid, UInt32(bitPattern: pid))
        }
    }
}
