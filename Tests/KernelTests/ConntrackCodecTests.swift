import Kernel
import Testing

/// ctnetlink against what conntrack(8) sent and the kernel answered (Fixtures/conntrack-*.hex,
/// recorded by scripts/capture-conntrack-fixtures in a namespace with a masquerade and a DNAT
/// rule): BoxLab's dump request is conntrack's, byte for byte, and the flows read back with
/// their tuples, state and translation.
@Suite struct ConntrackCodecTests {
    static func address(_ text: String) -> IPAddress { IPAddress(text)! }

    /// The kernel's answer, as BoxLab reads it.
    static func flows(_ name: String) throws -> [ConntrackFlow] {
        try NetlinkFixture(name, file: "conntrack").received
            .flatMap { datagram throws in try NetlinkMessage.decode(datagram, protocol: .netfilter) }
            .compactMap { message in
                guard message.type == .conntrackNew, case .netfilter(let body) = message.payload else { return nil }
                return ConntrackFlow(body)
            }
    }

    @Test(arguments: ["list", "list-tcp", "list-source", "list-empty"])
    func dumpRequestIsConntracks(_ name: String) throws {
        let fixture = try NetlinkFixture(name, file: "conntrack")
        let request = NetlinkMessage.conntrackDump(family: name == "list-source" ? .ip : .unspecified)
        #expect(fixture.requests.map(unnumbered) == [unnumbered(request.encoded())])
        #expect(request.description == "IPCTNL_MSG_CT_GET flags=REQUEST|DUMP")
        let sent = try NetlinkMessage.decode(fixture.request, protocol: .netfilter)
        #expect(sent.map(\.description) == ["IPCTNL_MSG_CT_GET flags=REQUEST|DUMP"])
    }

    @Test func flowsReadAsConntrackListsThem() throws {
        let flows = try Self.flows("list")
        // conntrack -L printed these four lines for the same dump (in the kernel's order).
        #expect(flows.map(\.listed) == [
            "tcp      6 431999 ESTABLISHED src=172.17.0.2 dst=203.0.113.1 sport=48202 dport=81 src=203.0.113.1 dst=203.0.113.2 sport=81 dport=48202 [ASSURED] mark=0 use=1",
            "tcp      6 119 TIME_WAIT src=172.17.0.2 dst=203.0.113.1 sport=44784 dport=80 src=203.0.113.1 dst=203.0.113.2 sport=80 dport=44784 [ASSURED] mark=0 use=1",
            "udp      17 29 src=172.17.0.2 dst=203.0.113.1 sport=45318 dport=53 [UNREPLIED] src=203.0.113.1 dst=203.0.113.2 sport=53 dport=45318 mark=0 use=1",
            "tcp      6 119 TIME_WAIT src=203.0.113.1 dst=203.0.113.2 sport=41468 dport=8080 src=172.17.0.2 dst=203.0.113.1 sport=80 dport=41468 [ASSURED] mark=0 use=1",
        ])
        #expect(flows[0].tcpState == .established)
        let dnat = flows[3]
        #expect(dnat.original == ConntrackTuple(source: Self.address("203.0.113.1"), destination: Self.address("203.0.113.2"), protocolNumber: 6, sourcePort: 41468, destinationPort: 8080))
        #expect(dnat.status == [.seenReply, .assured, .confirmed, .destinationNAT, .sourceNATDone, .destinationNATDone])
        #expect(dnat.status.description == "SEEN_REPLY|ASSURED|CONFIRMED|DST_NAT|SRC_NAT_DONE|DST_NAT_DONE")
        #expect(dnat.tcpState == .timeWait)
        #expect(dnat.timeout == 119 && dnat.mark == 0 && dnat.id == 201_103_143)
        #expect(flows[2].tcpState == nil && flows[2].original.protocolName == "udp" && !flows[2].status.contains(.seenReply))
    }

    @Test func translationsSayWhatNATRewrote() throws {
        let flows = try Self.flows("list")
        #expect(flows[3].translations.map { "\($0.kind.rawValue) \($0.from) -> \($0.to)" } == ["DNAT 203.0.113.2:8080 -> 172.17.0.2:80"])
        #expect(flows[1].translations.map { "\($0.kind.rawValue) \($0.from) -> \($0.to)" } == ["SNAT 172.17.0.2:44784 -> 203.0.113.2:44784"])
        let plain = ConntrackFlow(
            original: ConntrackTuple(source: Self.address("10.0.0.1"), destination: Self.address("10.0.0.2"), protocolNumber: 6, sourcePort: 5000, destinationPort: 80),
            reply: ConntrackTuple(source: Self.address("10.0.0.2"), destination: Self.address("10.0.0.1"), protocolNumber: 6, sourcePort: 80, destinationPort: 5000)
        )
        #expect(plain.translations.isEmpty)
    }

    @Test func kernelRepliesRenderInTheTrace() throws {
        let replies = try NetlinkFixture("list", file: "conntrack").received
            .flatMap { datagram throws in try NetlinkMessage.decode(datagram, protocol: .netfilter) }
        #expect(replies.first?.description == "IPCTNL_MSG_CT_NEW tcp ESTABLISHED orig={src=172.17.0.2 dst=203.0.113.1 sport=48202 dport=81} reply={src=203.0.113.1 dst=203.0.113.2 sport=81 dport=48202} status=SEEN_REPLY|ASSURED|CONFIRMED|SRC_NAT|SRC_NAT_DONE|DST_NAT_DONE timeout=431999 mark=0 id=1133215739")
        #expect(replies.last?.description == "NLMSG_DONE")
        // Re-encoding what the kernel sent gives its bytes back.
        let datagram = try NetlinkFixture("list", file: "conntrack").received[0]
        #expect(try NetlinkMessage.decode(datagram, protocol: .netfilter).flatMap { $0.encoded() } == datagram)
    }

    @Test func filteredDumpsAreFilteredByConntrackItself() throws {
        // conntrack -L -p tcp and -s ADDR send the same dump and filter what comes back: the
        // kernel answered with every flow.
        #expect(try Self.flows("list-tcp").contains { $0.original.protocolNumber == 17 })
        #expect(try Self.flows("list-empty").isEmpty)
    }
}
