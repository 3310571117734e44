/// One query over UDP, as dig and a libc stub resolver make it, from the network namespace of
/// the calling thread.
public enum DNSClient {
    public enum Outcome: Sendable, Equatable {
        case answer(DNSMessage)
        /// No answer within the timeout (nothing listening drops the datagram, or the port is
        /// closed and ICMP says so: the kernel reports that as ECONNREFUSED, thrown instead).
        case timeout
    }

    /// Asks `server`:`port` for `name`'s records of `type` and waits up to `timeout` seconds
    /// for the response with the query's id from that server; other datagrams are ignored.
    /// The id is random, as a stub resolver's is, so that a stray answer is not taken for it.
    ///
    /// The corresponding C functions are `socket(AF_INET, SOCK_DGRAM)`, `sendto`, `poll` and `recvfrom`.
    public static func ask(_ name: DNSName, type: DNSType, server: IPAddress, port: UInt16 = 53,
                           timeout: Double = 1) throws(KernelError) -> Outcome {
        let socket = try UDPSocket(render: DNSMessage.traced)
        let id = UInt16.random(in: 1...UInt16.max)
        let end = SocketEnd(address: server, port: port)
        let deadline = ContinuousClock.now.advanced(by: .milliseconds(Int(timeout * 1000)))
        try socket.send(DNSMessage.query(id: id, name: name, type: type).encoded(), to: end)
        while true {
            guard ContinuousClock.now < deadline, let (bytes, from) = try socket.receive(timeout: timeout, until: deadline) else { return .timeout }
            guard from == end, let message = try? DNSMessage(decoding: bytes), message.header.isResponse, message.header.id == id else { continue }
            return .answer(message)
        }
    }
}
