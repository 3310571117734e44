/// The body of RTM_NEWLINK, RTM_DELLINK, RTM_GETLINK and RTM_SETLINK: `struct ifinfomsg`
/// (family, device type, index, flags, change mask; 16 bytes) and `IFLA_*` attributes.
///
/// In a request, index 0 with an `IFLA_IFNAME` names the link by name instead; `change`
/// says which bits of `flags` to apply (`ip link set X up`: both UP).
public struct LinkMessage: Sendable, Equatable {
    public var family: AddressFamily
    /// `ARPHRD_*`: 1 for Ethernet-like links, 772 for loopback.
    public var deviceType: UInt16
    public var index: Int32
    public var flags: InterfaceFlags
    public var change: InterfaceFlags
    public var attributes: [NetlinkAttribute]

    static let size = 16

    public init(
        family: AddressFamily = .unspecified, deviceType: UInt16 = 0, index: Int32 = 0,
        flags: InterfaceFlags = [], change: InterfaceFlags = [], attributes: [NetlinkAttribute] = []
    ) {
        self.family = family
        self.deviceType = deviceType
        self.index = index
        self.flags = flags
        self.change = change
        self.attributes = attributes
    }

    init(decoding bytes: ArraySlice<UInt8>) throws(NetlinkDecodingError) {
        guard bytes.count >= Self.size else { throw NetlinkDecodingError("ifinfomsg needs 16 bytes, has \(bytes.count)") }
        family = AddressFamily(rawValue: bytes[bytes.startIndex])
        deviceType = bytes.integer(at: 2)!
        index = bytes.integer(at: 4)!
        flags = InterfaceFlags(rawValue: bytes.integer(at: 8)!)
        change = InterfaceFlags(rawValue: bytes.integer(at: 12)!)
        attributes = try NetlinkAttribute.decode(bytes.dropFirst(Self.size))
    }

    func encoded() -> [UInt8] {
        var bytes: [UInt8] = [family.rawValue, 0]
        bytes.appendInteger(deviceType)
        bytes.appendInteger(index)
        bytes.appendInteger(flags.rawValue)
        bytes.appendInteger(change.rawValue)
        return bytes + NetlinkAttribute.encode(attributes)
    }

    public var name: String? { attributes.first(IFLA.ifname)?.string }
    public var mtu: UInt32? { attributes.first(IFLA.mtu)?.integer() }
    public var address: MACAddress? { attributes.first(IFLA.address).map { MACAddress(bytes: $0.payload) } }
    /// The bridge (or bond) this link is a port of.
    public var master: Int32? { attributes.first(IFLA.master)?.integer() }
    /// `IFLA_LINK`: a veth's peer, a macvlan's parent; in the namespace `linkNetnsID` names when present.
    public var link: Int32? { attributes.first(IFLA.link)?.integer() }
    /// How this namespace numbers the namespace the `link` is in (`ip link` shows `link-netnsid`).
    public var linkNetnsID: Int32? { attributes.first(IFLA.linkNetnsID)?.integer() }
    public var operationalState: OperationalState? {
        attributes.first(IFLA.operationalState)?.integer(UInt8.self).map(OperationalState.init(rawValue:))
    }
    public var linkInfo: LinkInfo? { attributes.first(IFLA.linkInfo).map { LinkInfo(attributes: $0.children ?? []) } }

    /// `index=3 <BROADCAST,MULTICAST,UP,LOWER_UP> ifname="vA" mtu=1500 …`; a set request
    /// shows the bits it changes as `set=<UP>` or `clear=<UP>`.
    func renderedParts() -> (parts: [String], omitted: Bool) {
        var parts: [String] = []
        if family != .unspecified { parts.append("family=\(family)") }
        if index != 0 { parts.append("index=\(index)") }
        let kept = flags.subtracting(change)
        if !kept.isEmpty { parts.append(kept.description) }
        let set = flags.intersection(change), cleared = change.subtracting(flags)
        if !set.isEmpty { parts.append("set=\(set)") }
        if !cleared.isEmpty { parts.append("clear=\(cleared)") }
        let rendered = Self.schema.render(attributes)
        return (parts + rendered.parts, rendered.omitted)
    }

    static let schema = AttributeSchema([
        IFLA.address: ("address", AttributeValue.mac),
        IFLA.ifname: ("ifname", AttributeValue.string),
        IFLA.mtu: ("mtu", AttributeValue.unsigned),
        IFLA.link: ("link", AttributeValue.signed),
        IFLA.master: ("master", AttributeValue.unsigned),
        IFLA.operationalState: ("operstate", { OperationalState(rawValue: $0.payload.first ?? 0).description }),
        IFLA.linkInfo: ("linkinfo", { LinkInfo(attributes: $0.children ?? []).rendered }),
        IFLA.netnsPID: ("net_ns_pid", AttributeValue.unsigned),
        IFLA.alias: ("ifalias", AttributeValue.string),
        IFLA.netnsFD: ("net_ns_fd", AttributeValue.signed),
        IFLA.extMask: ("ext_mask", { attribute in
            traceFlags(UInt64(attribute.integer(UInt32.self) ?? 0), [
                (1, "VF"), (2, "BRVLAN"), (4, "BRVLAN_COMPRESSED"), (8, "SKIP_STATS"), (16, "MRP"),
                (32, "CFM_CONFIG"), (64, "CFM_STATUS"), (128, "MST"),
            ])
        }),
        IFLA.linkNetnsID: ("link_netnsid", AttributeValue.signed),
        IFLA.newNetnsID: ("new_netnsid", AttributeValue.signed),
        IFLA.targetNetnsID: ("target_netnsid", AttributeValue.signed),
        IFLA.altName: ("alt_ifname", AttributeValue.string),
    ])
}

/// The `IFLA_*` attribute types of linux/if_link.h that BoxLab reads or writes.
enum IFLA {
    static let address: UInt16 = 1
    static let ifname: UInt16 = 3
    static let mtu: UInt16 = 4
    static let link: UInt16 = 5
    static let master: UInt16 = 10
    static let operationalState: UInt16 = 16
    static let linkInfo: UInt16 = 18
    static let netnsPID: UInt16 = 19
    static let alias: UInt16 = 20
    static let netnsFD: UInt16 = 28
    static let extMask: UInt16 = 29
    static let linkNetnsID: UInt16 = 37
    static let newNetnsID: UInt16 = 45
    static let targetNetnsID: UInt16 = 46
    static let altName: UInt16 = 53

    /// `IFLA_EXT_MASK` bits: VF information, and no statistics (they are most of a reply).
    static let extMaskVF: UInt32 = 1
    static let extMaskSkipStats: UInt32 = 8
}
