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

    /// The lines conntrack(8) printed for the dump the fixture holds.
    static func printed(_ name: String) throws -> [String] {
        try fixture("conntrack-\(name).hex").split(separator: "\n").filter { $0.hasPrefix("# printed: ") }.map { String($0.dropFirst(11)) }
    }

    @Test("flows list as conntrack -L printed them, filtered as -p tcp and -s 172.17.0.2 filter", arguments: ["list", "list-tcp", "list-source"])
    func flowsReadAsConntrackListsThem(_ name: String) throws {
        let printed = try Self.printed(name)
        #expect(!printed.isEmpty)
        let shown = try Self.flows(name).filter { flow in
            switch name {
            case "list-tcp": flow.original.protocolName == "tcp"
            case "list-source": flow.original.source == Self.address("172.17.0.2")
            default: true
            }
        }
        #expect(shown.map(\.listed) == printed)
    }

    @Test func flowsCarryStatusStateAndTimers() throws {
        let flows = try Self.flows("list")
        let established = try #require(flows.first { $0.tcpState == .established })
        #expect(established.timeout == 431_999 && established.original.destinationPort == 81)
        let dnat = try #require(flows.first { $0.original.destinationPort == 8080 })
        #expect(dnat.original.source == Self.address("203.0.113.1") && dnat.original.destination == Self.address("203.0.113.2"))
        #expect(dnat.status == [.seenReply, .assured, .confirmed, .destinationNAT, .sourceNATDone, .destinationNATDone])
        #expect(dnat.status.description == "SEEN_REPLY|ASSURED|CONFIRMED|DST_NAT|SRC_NAT_DONE|DST_NAT_DONE")
        #expect(dnat.tcpState == .timeWait && dnat.timeout == 119 && dnat.mark == 0 && dnat.id != nil)
        let udp = try #require(flows.first { $0.original.protocolName == "udp" })
        #expect(udp.tcpState == nil && !udp.status.contains(.seenReply) && udp.status.contains(.sourceNAT))
    }

    @Test func translationsSayWhatNATRewrote() throws {
        let flows = try Self.flows("list")
        let dnat = try #require(flows.first { $0.original.destinationPort == 8080 })
        #expect(dnat.translations.map { "\($0.kind.rawValue) \($0.from) -> \($0.to)" } == ["DNAT 203.0.113.2:8080 -> 172.17.0.2:80"])
        let masqueraded = try #require(flows.first { $0.original.destinationPort == 80 })
        let port = try #require(masqueraded.original.sourcePort)
        #expect(masqueraded.translations.map { "\($0.kind.rawValue) \($0.from) -> \($0.to)" } == ["SNAT 172.17.0.2:\(port) -> 203.0.113.2:\(port)"])
        let plain = ConntrackFlow(
            original: ConntrackTuple(source: Self.address("10.0.0.1"), destination: Self.address("10.0.0.2"), protocolNumber: 6, sourcePort: 5000, destinationPort: 80),
            reply: ConntrackTuple(source: Self.address("10.0.0.2"), destination: Self.address("10.0.0.1"), protocolNumber: 6, sourcePort: 80, destinationPort: 5000)
        )
        #expect(plain.translations.isEmpty)
    }

    @Test func kernelRepliesRenderInTheTrace() throws {
        let replies = try NetlinkFixture("list", file: "conntrack").received
            .flatMap { datagram throws in try NetlinkMessage.decode(datagram, protocol: .netfilter) }
        let established = try #require(try Self.flows("list").first { $0.tcpState == .established })
        let ports = "sport=\(established.original.sourcePort!) dport=81"
        #expect(replies.contains { $0.description == "IPCTNL_MSG_CT_NEW tcp ESTABLISHED orig={src=172.17.0.2 dst=203.0.113.1 \(ports)} reply={src=203.0.113.1 dst=203.0.113.2 sport=81 dport=\(established.original.sourcePort!)} status=SEEN_REPLY|ASSURED|CONFIRMED|SRC_NAT|SRC_NAT_DONE|DST_NAT_DONE timeout=431999 mark=0 id=\(established.id!)" })
        #expect(replies.last?.description == "NLMSG_DONE")
        // Re-encoding what the kernel sent gives its bytes back.
        let datagram = try NetlinkFixture("list", file: "conntrack").received[0]
        #expect(try NetlinkMessage.decode(datagram, protocol: .netfilter).flatMap { $0.encoded() } == datagram)
    }

    @Test func filteredDumpsAreFilteredByConntrackItself() throws {
        // conntrack -L -p tcp sends the same dump and filters what comes back: the kernel
        // answered with every flow.
        #expect(try Self.flows("list-tcp").contains { $0.original.protocolNumber == 17 })
        #expect(try Self.flows("list-empty").isEmpty)
        #expect(try Self.printed("list-empty").isEmpty)
    }
}
