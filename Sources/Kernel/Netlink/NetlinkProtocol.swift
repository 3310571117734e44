/// Which part of the kernel a netlink socket talks to, fixed when it is opened: rtnetlink
/// (links, addresses, routes) or nfnetlink (nf_tables, conntrack). The two number their
/// messages independently, so a datagram is read with its socket's protocol in mind.
public enum NetlinkProtocol: Int32, Sendable {
    case route = 0
    case netfilter = 12

    /// `NETLINK_ROUTE`, as a trace shows the socket call.
    var name: String {
        switch self {
        case .route: "NETLINK_ROUTE"
        case .netfilter: "NETLINK_NETFILTER"
        }
    }
}
