extension RouteNetlink {
    /// Every link in the namespace, as `ip link show` asks for them.
    ///
    /// The corresponding C functions are `sendmsg` and `recvmsg`.
    public func links() throws(KernelError) -> [Link] {
        try exchange(.linkDump()).compactMap { reply in
            if case .link(let link) = reply.payload { Link(link) } else { nil }
        }
    }

    /// One link; ENODEV when there is no such link.
    ///
    /// The corresponding C functions are `sendmsg` and `recvmsg`.
    public func link(_ reference: LinkReference) throws(KernelError) -> Link {
        let request = try NetlinkMessage.getLink(reference)
        guard case .link(let link)? = try exchange(request).first?.payload else {
            throw NetlinkConnection.failure(of: request, errno: .ENODEV, message: nil)
        }
        return Link(link)
    }

    /// The index of a link. Requests name links by index, so a name is looked up first with
    /// RTM_GETLINK, as `ip` does.
    ///
    /// The corresponding C functions are `sendmsg` and `recvmsg`.
    public func index(of reference: LinkReference) throws(KernelError) -> Int32 {
        switch reference {
        case .index(let index): index
        case .name: try link(reference).index
        }
    }

    /// Creates a link: `ip link add NAME [link PARENT] [settings] type KIND …`. `parent` is
    /// the link a macvlan or ipvlan sits on; `settings` may set the MTU, address, master or
    /// namespace, or bring the link up, in the same request. EEXIST when the name is taken;
    /// EOPNOTSUPP when the kernel has no such kind.
    ///
    /// The corresponding C functions are `sendmsg` and `recvmsg`.
    public func addLink(
        _ name: String, _ kind: LinkKind, parent: LinkReference? = nil, settings: [LinkChange] = []
    ) throws(KernelError) {
        _ = try exchange(.addLink(name, kind, parent: parent, settings: settings, resolve: index(of:)))
    }

    /// Changes a link: `ip link set DEV up`, `master br0`, `netns red`, `name x`, `mtu 1400`,
    /// `address 02:…`, several at once if need be.
    ///
    /// The corresponding C functions are `sendmsg` and `recvmsg`.
    public func setLink(_ link: LinkReference, _ changes: [LinkChange]) throws(KernelError) {
        _ = try exchange(.setLink(index: index(of: link), changes, resolve: index(of:)))
    }

    /// Deletes a link; deleting one end of a veth deletes both.
    ///
    /// The corresponding C functions are `sendmsg` and `recvmsg`.
    public func deleteLink(_ link: LinkReference) throws(KernelError) {
        _ = try exchange(.deleteLink(index: index(of: link)))
    }
}

/// The link requests, built as `ip link` builds them. Links given by name are turned into
/// indexes with `resolve` (the client looks them up; tests pass a table).
extension NetlinkMessage {
    /// RTM_GETLINK dump of family AF_PACKET, with VF information, as `ip link show` asks.
    public static func linkDump() -> NetlinkMessage {
        NetlinkMessage(type: .getLink, flags: [.request, .dump], payload: .link(LinkMessage(
            family: .packet, attributes: [.integer(IFLA.extMask, IFLA.extMaskVF)]
        )))
    }

    /// RTM_GETLINK for one link, by index or by `IFLA_IFNAME`, without statistics.
    public static func getLink(_ reference: LinkReference) throws(KernelError) -> NetlinkMessage {
        var message = LinkMessage(attributes: [.integer(IFLA.extMask, IFLA.extMaskVF | IFLA.extMaskSkipStats)])
        switch reference {
        case .index(let index):
            message.index = index
        case .name(let name):
            try validateInterfaceName(name, for: .getLink)
            message.attributes.append(.string(IFLA.ifname, name))
        }
        return NetlinkMessage(type: .getLink, flags: .request, payload: .link(message))
    }

    /// RTM_NEWLINK with CREATE|EXCL: `[settings] [IFLA_LINK] IFLA_IFNAME IFLA_LINKINFO`; ip
    /// writes the settings (`address`, `netns`…) as it reads them, the name after.
    public static func addLink(
        _ name: String, _ kind: LinkKind, parent: LinkReference? = nil, settings: [LinkChange] = [],
        resolve: (LinkReference) throws(KernelError) -> Int32
    ) throws(KernelError) -> NetlinkMessage {
        try validateInterfaceName(name, for: .newLink)
        if case .veth(let peer, _) = kind { try validateInterfaceName(peer, for: .newLink) }
        var message = LinkMessage()
        for change in settings { try change.apply(to: &message, resolve: resolve) }
        if let parent { message.attributes.append(.integer(IFLA.link, UInt32(bitPattern: try resolve(parent)))) }
        message.attributes.append(.string(IFLA.ifname, name))
        var vxlanLink: Int32?
        if case .vxlan(let options) = kind, let device = options.device { vxlanLink = try resolve(device) }
        message.attributes.append(kind.linkInfo(vxlanLink: vxlanLink))
        return NetlinkMessage(type: .newLink, flags: [.request, .ack, .create, .exclusive], payload: .link(message))
    }

    /// RTM_NEWLINK without CREATE, which changes the link `index` names, as `ip link set`
    /// sends it (RTM_SETLINK cannot change everything NEWLINK can).
    public static func setLink(
        index: Int32, _ changes: [LinkChange], resolve: (LinkReference) throws(KernelError) -> Int32
    ) throws(KernelError) -> NetlinkMessage {
        var message = LinkMessage(index: index)
        for change in changes { try change.apply(to: &message, resolve: resolve) }
        return NetlinkMessage(type: .newLink, flags: [.request, .ack], payload: .link(message))
    }

    /// RTM_DELLINK.
    public static func deleteLink(index: Int32) -> NetlinkMessage {
        NetlinkMessage(type: .deleteLink, flags: [.request, .ack], payload: .link(LinkMessage(index: index)))
    }
}
