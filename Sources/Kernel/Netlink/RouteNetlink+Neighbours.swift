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

    private func neighbourMessages(family: AddressFamily) throws(KernelError) -> [NeighbourMessage] {
        try exchange(.neighbourDump(family: family)).compactMap { reply in
            if case .neighbour(let neighbour) = reply.payload { neighbour } else { nil }
        }
    }
}

extension NetlinkMessage {
    /// RTM_GETNEIGH dump; with AF_BRIDGE it reads the bridge forwarding databases.
    public static func neighbourDump(family: AddressFamily = .unspecified) -> NetlinkMessage {
        NetlinkMessage(type: .getNeighbour, flags: [.request, .dump], payload: .neighbour(NeighbourMessage(family: family)))
    }
}
