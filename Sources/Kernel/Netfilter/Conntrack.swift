/// A client of the kernel's connection tracking table, in one network namespace, over
/// ctnetlink (`NETLINK_NETFILTER`, subsystem `NFNL_SUBSYS_CTNETLINK`): what `conntrack -L`
/// does, without libnetfilter_conntrack. Each network namespace has its own table, which
/// holds flows only once something there needs tracking (a NAT rule, a `ct` match).
public final class Conntrack: Sendable {
    private let connection: NetlinkConnection

    /// A client for the calling thread's network namespace, or for `namespace`.
    ///
    /// The corresponding C functions are `setns`, `socket`, `setsockopt` and `bind`.
    public init(in namespace: NetworkNamespace? = nil) throws(KernelError) {
        connection = try NetlinkConnection(.netfilter, in: namespace)
    }

    /// Every flow of the table, or of one family, as one `IPCTNL_MSG_CT_GET` dump: the request
    /// conntrack(8) sends.
    ///
    /// The corresponding C functions are `sendmsg` and `recvmsg`.
    public func flows(family: NetfilterFamily = .unspecified) throws(KernelError) -> [ConntrackFlow] {
        try connection.exchange(.conntrackDump(family: family)).compactMap { reply in
            if case .netfilter(let message) = reply.payload, reply.type == .conntrackNew { ConntrackFlow(message) } else { nil }
        }
    }
}

extension NetlinkMessage {
    /// `IPCTNL_MSG_CT_GET` with DUMP, for every family or one: byte for byte what `conntrack
    /// -L` sends (`-s 172.17.0.2` asks for IPv4 flows only, and filters the rest itself).
    public static func conntrackDump(family: NetfilterFamily = .unspecified) -> NetlinkMessage {
        NetlinkMessage(type: .conntrackGet, flags: [.request, .dump], payload: .netfilter(NetfilterMessage(family: family)))
    }
}
