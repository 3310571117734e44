extension RouteNetlink {
    /// The ARP and IPv6 neighbour tables, or one family's.
    ///
    /// The corresponding C functions are `sendmsg` and `recvmsg`.
    public func neighbours(family: AddressFamily = .unspecified) throws(KernelError) -> [Neighbour] {
        try neighbourMessages(family: family).compactMap(Neighbour.init)
    }

    /// Every bridge's forwarding database and every port's own address list, as
    /// `bridge fdb show` asks for them.
    ///
    /// The corresponding C functions are `sendmsg` and `recvmsg`.
    public func bridgeFDB() throws(KernelError) -> [BridgeFDBEntry] {
        try neighbourMessages(family: .bridge).compactMap(BridgeFDBEntry.init)
    }

    /// `ip neigh add|replace ADDRESS lladdr MAC dev LINK nud permanent`: a neighbour entry
    /// the kernel never resolves nor ages, as flannel writes the MAC of each remote host's
    /// VXLAN device for that host's subnet. EEXIST when `replace` is false and the address
    /// has an entry on the link already.
    ///
    /// The corresponding C functions are `sendmsg` and `recvmsg`.
    public func addNeighbour(
        _ address: IPAddress, linkAddress: MACAddress, device: LinkReference, replace: Bool = false
    ) throws(KernelError) {
        _ = try exchange(.addNeighbour(address, linkAddress: linkAddress, deviceIndex: index(of: device), replace: replace))
    }

    /// `ip neigh del ADDRESS dev LINK`; ENOENT when there is no such entry.
    ///
    /// The corresponding C functions are `sendmsg` and `recvmsg`.
    public func deleteNeighbour(_ address: IPAddress, device: LinkReference) throws(KernelError) {
        _ = try exchange(.deleteNeighbour(address, deviceIndex: index(of: device)))
    }

    /// `bridge fdb add|append|replace MAC dev LINK [dst ADDRESS] self permanent`: an entry in
    /// the link's own forwarding table. On a VXLAN device it says which remote host frames
    /// for `mac` are tunnelled to. A unicast MAC has one remote: `append` adds it when there
    /// is none and leaves it be when there is; the all-zeros MAC (where broadcasts and
    /// unknown destinations go) and multicast MACs have a list, which `append` grows.
    ///
    /// The corresponding C functions are `sendmsg` and `recvmsg`.
    public func addForwardingEntry(
        _ mac: MACAddress, device: LinkReference, destination: IPAddress? = nil, mode: ForwardingEntryMode = .add
    ) throws(KernelError) {
        _ = try exchange(.addForwardingEntry(mac, deviceIndex: index(of: device), destination: destination, mode: mode))
    }

    /// `bridge fdb del MAC dev LINK [dst ADDRESS] self`; with no destination a VXLAN device
    /// drops every remote it has for the MAC. ENOENT when there is no such entry.
    ///
    /// The corresponding C functions are `sendmsg` and `recvmsg`.
    public func deleteForwardingEntry(_ mac: MACAddress, device: LinkReference, destination: IPAddress? = nil) throws(KernelError) {
        _ = try exchange(.deleteForwardingEntry(mac, deviceIndex: index(of: device), destination: destination))
    }

    private func neighbourMessages(family: AddressFamily) throws(KernelError) -> [NeighbourMessage] {
        try exchange(.neighbourDump(family: family)).compactMap { reply in
            if case .neighbour(let neighbour) = reply.payload { neighbour } else { nil }
        }
    }
}

/// The neighbour and forwarding-entry requests, built as `ip neigh` and `bridge fdb` build them.
extension NetlinkMessage {
    /// RTM_GETNEIGH dump; with AF_BRIDGE it reads the bridge forwarding databases.
    public static func neighbourDump(family: AddressFamily = .unspecified) -> NetlinkMessage {
        NetlinkMessage(type: .getNeighbour, flags: [.request, .dump], payload: .neighbour(NeighbourMessage(family: family)))
    }

    /// RTM_NEWNEIGH with CREATE and EXCL, or REPLACE: state PERMANENT, `NDA_DST` then `NDA_LLADDR`.
    public static func addNeighbour(
        _ address: IPAddress, linkAddress: MACAddress, deviceIndex: Int32, replace: Bool = false
    ) -> NetlinkMessage {
        let message = NeighbourMessage(family: address.family, index: deviceIndex, state: .permanent, attributes: [
            NetlinkAttribute(type: NDA.destination, payload: address.bytes),
            NetlinkAttribute(type: NDA.linkAddress, payload: linkAddress.bytes),
        ])
        return NetlinkMessage(type: .newNeighbour, flags: [.request, .ack, .create, replace ? .replace : .exclusive], payload: .neighbour(message))
    }

    /// RTM_DELNEIGH; ip sends the state it would have added (PERMANENT), which the kernel ignores.
    public static func deleteNeighbour(_ address: IPAddress, deviceIndex: Int32) -> NetlinkMessage {
        let message = NeighbourMessage(family: address.family, index: deviceIndex, state: .permanent, attributes: [
            NetlinkAttribute(type: NDA.destination, payload: address.bytes),
        ])
        return NetlinkMessage(type: .deleteNeighbour, flags: [.request, .ack], payload: .neighbour(message))
    }

    /// RTM_NEWNEIGH of family AF_BRIDGE for the link's own table (NTF_SELF), state
    /// PERMANENT|NOARP as `bridge fdb` sends when given neither `static` nor `dynamic`.
    public static func addForwardingEntry(
        _ mac: MACAddress, deviceIndex: Int32, destination: IPAddress? = nil, mode: ForwardingEntryMode = .add
    ) -> NetlinkMessage {
        NetlinkMessage(type: .newNeighbour, flags: [.request, .ack, .create, mode.flags],
                       payload: .neighbour(forwardingEntry(mac, deviceIndex: deviceIndex, destination: destination)))
    }

    /// RTM_DELNEIGH of family AF_BRIDGE, with the same body `bridge fdb del` sends.
    public static func deleteForwardingEntry(_ mac: MACAddress, deviceIndex: Int32, destination: IPAddress? = nil) -> NetlinkMessage {
        NetlinkMessage(type: .deleteNeighbour, flags: [.request, .ack],
                       payload: .neighbour(forwardingEntry(mac, deviceIndex: deviceIndex, destination: destination)))
    }

    private static func forwardingEntry(_ mac: MACAddress, deviceIndex: Int32, destination: IPAddress?) -> NeighbourMessage {
        var message = NeighbourMessage(family: .bridge, index: deviceIndex, state: [.permanent, .noARP], flags: .own, attributes: [
            NetlinkAttribute(type: NDA.linkAddress, payload: mac.bytes),
        ])
        if let destination { message.attributes.append(NetlinkAttribute(type: NDA.destination, payload: destination.bytes)) }
        return message
    }
}
