import Synchronization

/// A client of the kernel's rtnetlink: links, addresses, routes, neighbours and the bridge
/// forwarding database of one network namespace, through one socket, synchronously.
///
/// Every system call goes through the funnel, and the `sendmsg`/`recvmsg` entries of a trace
/// show the netlink messages decoded. A request the kernel refuses throws a `KernelError`
/// named after the request (`RTM_NEWLINK(…) failed: EEXIST (File exists)`) with the kernel's
/// errno and, when it gave one, its message. Requests are serialised, so one client may be
/// shared between threads.
public final class RouteNetlink: Sendable {
    private let socket: NetlinkSocket
    /// The last request's sequence number; held for a whole exchange, which serialises them.
    private let sequence = Mutex<UInt32>(0)

    /// A client for the calling thread's network namespace.
    ///
    /// The corresponding C functions are `socket`, `setsockopt` and `bind`.
    public init() throws(KernelError) {
        socket = try NetlinkSocket.open()
    }

    /// A client for `namespace`: its socket is opened on a thread inside it, and stays there.
    ///
    /// The corresponding C functions are `setns`, `socket`, `setsockopt` and `bind`.
    public init(in namespace: NetworkNamespace) throws(KernelError) {
        socket = try namespace.perform { () throws(KernelError) in try NetlinkSocket.open() }
    }

    deinit {
        socket.close()
    }

    /// Sends `request` with the next sequence number and reads until the kernel has answered
    /// it: the acknowledgement of a change, the object a GET names, or every part of a dump
    /// up to NLMSG_DONE. Returns the replies that carry objects.
    ///
    /// The corresponding C functions are `sendmsg` and `recvmsg`.
    public func exchange(_ request: NetlinkMessage) throws(KernelError) -> [NetlinkMessage] {
        try sequence.withLock { (sequence) throws(KernelError) -> [NetlinkMessage] in
            sequence &+= 1
            var request = request
            request.sequence = sequence
            try socket.send(request)
            var replies: [NetlinkMessage] = []
            while true {
                // Replies to an earlier request that was abandoned midway carry its sequence number.
                for reply in try socket.receive() where reply.sequence == request.sequence {
                    switch reply.payload {
                    case .error(let error):
                        guard let errno = error.errno else { return replies }
                        throw Self.failure(of: request, errno: errno, message: error.message)
                    case .done(let status):
                        guard status == 0 else { throw Self.failure(of: request, errno: Errno(-status), message: nil) }
                        return replies
                    default:
                        replies.append(reply)
                        if !reply.flags.contains(.multi) && !request.flags.contains(.ack) { return replies }
                    }
                }
            }
        }
    }

    /// `RTM_NEWLINK(flags=… ifname="vA" …, msg="…") failed: EEXIST (File exists)`.
    static func failure(of request: NetlinkMessage, errno: Errno, message: String?) -> KernelError {
        KernelError(
            call: request.type.description,
            arguments: [request.renderedBody] + (message.map { ["msg=\(traceQuote($0))"] } ?? []),
            errno: errno,
            detail: message
        )
    }
}
