import Synchronization

/// One netlink socket and its sequence numbers: the exchanges every client (rtnetlink,
/// nf_tables) makes with the kernel, synchronously. A request the kernel refuses throws a
/// `KernelError` named after the request (`RTM_NEWLINK(…) failed: EEXIST (File exists)`)
/// with the kernel's errno and, when it gave one, its message. Exchanges are serialised, so
/// one connection may be shared between threads.
final class NetlinkConnection: Sendable {
    let socket: NetlinkSocket
    /// The last sequence number used; held for a whole exchange, which serialises them.
    private let sequence = Mutex<UInt32>(0)

    /// A connection in the calling thread's network namespace, or in `namespace`: its socket
    /// is opened on a thread inside it, and stays there.
    ///
    /// The corresponding C functions are `setns`, `socket`, `setsockopt` and `bind`.
    init(_ netlinkProtocol: NetlinkProtocol, in namespace: NetworkNamespace? = nil) throws(KernelError) {
        socket = if let namespace {
            try namespace.perform { () throws(KernelError) in try NetlinkSocket.open(netlinkProtocol) }
        } else {
            try NetlinkSocket.open(netlinkProtocol)
        }
    }

    deinit {
        socket.close()
    }

    /// Sends `request` with the next sequence number and reads until the kernel has answered
    /// it: the acknowledgement of a change, the object a GET names, or every part of a dump
    /// up to NLMSG_DONE. Returns the replies that carry objects.
    ///
    /// The corresponding C functions are `sendmsg` and `recvmsg`.
    func exchange(_ request: NetlinkMessage) throws(KernelError) -> [NetlinkMessage] {
        try sequence.withLock { (sequence) throws(KernelError) -> [NetlinkMessage] in
            sequence &+= 1
            var request = request
            request.sequence = sequence
            try socket.send([request])
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

    /// Sends `messages` in one datagram, numbered one after the other, and reads until every
    /// one that asks for an acknowledgement (ACK) has its answer. The kernel answers a refused
    /// message with its errno and the others with an acknowledgement; an nfnetlink batch is
    /// one transaction, so one refusal undoes them all. The first refusal, in the
    /// order the messages were sent, is thrown, named after its message; `explain` may add
    /// what BoxLab can tell about it from the message, the errno and where the kernel stopped.
    ///
    /// The corresponding C functions are `sendmsg` and `recvmsg`.
    func exchange(
        batch messages: [NetlinkMessage], explain: (NetlinkMessage, Errno, UInt32?) -> String? = { _, _, _ in nil }
    ) throws(KernelError) {
        try sequence.withLock { (sequence) throws(KernelError) in
            var numbered: [UInt32: NetlinkMessage] = [:]
            var batch: [NetlinkMessage] = []
            for var message in messages {
                sequence &+= 1
                message.sequence = sequence
                numbered[sequence] = message
                batch.append(message)
            }
            try socket.send(batch)
            var refusals: [(message: NetlinkMessage, error: NetlinkErrorMessage)] = []
            var unanswered = Set(batch.filter { $0.flags.contains(.ack) }.map(\.sequence))
            while !unanswered.isEmpty {
                for reply in try socket.receive() {
                    guard case .error(let error) = reply.payload, let message = numbered[reply.sequence] else { continue }
                    unanswered.remove(reply.sequence)
                    if error.errno != nil { refusals.append((message, error)) }
                    // A batch the kernel could not start (no such subsystem) is answered once, at its first message.
                    if error.errno != nil, reply.sequence == batch.first?.sequence { unanswered.removeAll() }
                }
            }
            guard let first = refusals.min(by: { $0.message.sequence < $1.message.sequence }), let errno = first.error.errno else { return }
            throw Self.failure(of: first.message, errno: errno, message: first.error.message, explanation: explain(first.message, errno, first.error.offset))
        }
    }

    /// `RTM_NEWLINK(flags=… ifname="vA" …, msg="…") failed: EEXIST (File exists)`; the
    /// detail is the kernel's message, else BoxLab's explanation.
    static func failure(of request: NetlinkMessage, errno: Errno, message: String?, explanation: String? = nil) -> KernelError {
        KernelError(
            call: request.name,
            arguments: [request.renderedBody] + (message.map { ["msg=\(traceQuote($0))"] } ?? []),
            errno: errno,
            detail: message ?? explanation
        )
    }
}
