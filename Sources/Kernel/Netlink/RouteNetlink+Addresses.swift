extension RouteNetlink {
    /// Every address of every link, or those of one family.
    ///
    /// The corresponding C functions are `sendmsg` and `recvmsg`.
    public func addresses(family: AddressFamily = .unspecified) throws(KernelError) -> [Address] {
        try exchange(.addressDump(family: family)).compactMap { reply in
            if case .address(let address) = reply.payload { Address(address) } else { nil }
        }
    }

    /// `ip address add PREFIX dev LINK [broadcast B]`: for IPv4 the kernel also adds the
    /// route to the prefix's network (proto kernel, scope link). EEXIST when the link has it.
    ///
    /// The corresponding C functions are `sendmsg` and `recvmsg`.
    public func addAddress(
        _ prefix: IPPrefix, to link: LinkReference, broadcast: IPAddress? = nil, flags: AddressFlags = []
    ) throws(KernelError) {
        _ = try exchange(.addAddress(prefix, index: index(of: link), broadcast: broadcast, flags: flags))
    }

    /// `ip address del PREFIX dev LINK`; EADDRNOTAVAIL when the link has no such address.
    ///
    /// The corresponding C functions are `sendmsg` and `recvmsg`.
    public func deleteAddress(_ prefix: IPPrefix, from link: LinkReference) throws(KernelError) {
        _ = try exchange(.deleteAddress(prefix, index: index(of: link)))
    }
}

/// The address requests, built as `ip address` builds them.
extension NetlinkMessage {
    /// RTM_GETADDR dump; AF_UNSPEC for every family.
    public static func addressDump(family: AddressFamily = .unspecified) -> NetlinkMessage {
        NetlinkMessage(type: .getAddress, flags: [.request, .dump], payload: .address(AddressMessage(family: family)))
    }

    /// RTM_NEWADDR with CREATE|EXCL. Flags that fit in 8 bits go in the header, the rest in
    /// `IFA_FLAGS`, as `ip` sends them (`.noDAD` makes an IPv6 address usable at once).
    public static func addAddress(
        _ prefix: IPPrefix, index: Int32, broadcast: IPAddress? = nil, flags: AddressFlags = []
    ) -> NetlinkMessage {
        var message = addressMessage(prefix, index: index)
        if flags.rawValue <= 0xff {
            message.flags = UInt8(flags.rawValue)
        } else {
            message.attributes.append(.integer(IFA.flags, flags.rawValue))
        }
        if let broadcast { message.attributes.append(NetlinkAttribute(type: IFA.broadcast, payload: broadcast.bytes)) }
        return NetlinkMessage(type: .newAddress, flags: [.request, .ack, .create, .exclusive], payload: .address(message))
    }

    /// RTM_DELADDR.
    public static func deleteAddress(_ prefix: IPPrefix, index: Int32) -> NetlinkMessage {
        NetlinkMessage(type: .deleteAddress, flags: [.request, .ack], payload: .address(addressMessage(prefix, index: index)))
    }

    /// `IFA_LOCAL` and `IFA_ADDRESS` both hold the address (on a link that is not
    /// point-to-point they are the same), in the order `ip` writes them.
    private static func addressMessage(_ prefix: IPPrefix, index: Int32) -> AddressMessage {
        AddressMessage(family: prefix.family, prefixLength: prefix.length, index: UInt32(bitPattern: index), attributes: [
            NetlinkAttribute(type: IFA.local, payload: prefix.address.bytes),
            NetlinkAttribute(type: IFA.address, payload: prefix.address.bytes),
        ])
    }
}
