extension RouteNetlink {
    /// The number this namespace knows `namespace` by, the `link-netnsid` its link dumps
    /// show for links whose far end is there; nil when it has none (no link crosses over).
    /// This is how `ip` names the namespace behind a `link-netnsid`.
    ///
    /// The corresponding C functions are `sendmsg` and `recvmsg`.
    public func namespaceID(of namespace: NamespaceTarget) throws(KernelError) -> Int32? {
        guard case .namespaceID(let reply)? = try exchange(.getNamespaceID(namespace)).first?.payload else { return nil }
        return reply.namespaceID
    }
}

extension NetlinkMessage {
    /// RTM_GETNSID for a namespace given by descriptor or process, as `ip` asks.
    public static func getNamespaceID(_ namespace: NamespaceTarget) -> NetlinkMessage {
        let message = NamespaceIDMessage(attributes: [namespace.namespaceAttribute])
        return NetlinkMessage(type: .getNamespaceID, flags: .request, payload: .namespaceID(message))
    }
}
