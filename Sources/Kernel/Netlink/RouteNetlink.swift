/// A client of the kernel's rtnetlink: links, addresses, routes, neighbours and the bridge
/// forwarding database of one network namespace, through one socket, synchronously.
///
/// Every system call goes through the funnel, and the `sendmsg`/`recvmsg` entries of a trace
/// show the netlink messages decoded. A request the kernel refuses throws a `KernelError`
/// named after the request (`RTM_NEWLINK(…) failed: EEXIST (File exists)`) with the kernel's
/// errno and, when it gave one, its message. Requests are serialised, so one client may be
/// shared between threads.
public final class RouteNetlink: Sendable {
    private let connection: NetlinkConnection

    /// A client for the calling thread's network namespace.
    ///
    /// The corresponding C functions are `socket`, `setsockopt` and `bind`.
    public init() throws(KernelError) {
        connection = try NetlinkConnection(.route)
    }

    /// A client for `namespace`: its socket is opened on a thread inside it, and stays there.
    ///
    /// The corresponding C functions are `setns`, `socket`, `setsockopt` and `bind`.
    public init(in namespace: NetworkNamespace) throws(KernelError) {
        connection = try NetlinkConnection(.route, in: namespace)
    }

    /// Sends `request` with the next sequence number and reads until the kernel has answered
    /// it: the acknowledgement of a change, the object a GET names, or every part of a dump
    /// up to NLMSG_DONE. Returns the replies that carry objects.
    ///
    /// The corresponding C functions are `sendmsg` and `recvmsg`.
    public func exchange(_ request: NetlinkMessage) throws(KernelError) -> [NetlinkMessage] {
        try connection.exchange(request)
    }
}
