import Kernel
import Testing

/// nf_tables messages against what nft and iptables-nft sent and the kernel answered
/// (Fixtures/nft-*.hex): BoxLab's requests are byte for byte nft's, and what either tool
/// made reads back as the same Swift values.
@Suite struct NFTablesCodecTests {
    static let masquerade: [NFTExpression] = [
        .payload(base: .network, offset: 12, length: 2, into: .r1), .compare(.equal, .r1, [172, 17]),
        .meta(.outputInterfaceName, into: .r1), .compare(.notEqual, .r1, interfaceName("docker0")),
        .counter(), .masquerade(),
    ]
    static let dnat: [NFTExpression] = [
        .meta(.inputInterfaceName, into: .r1), .compare(.notEqual, .r1, interfaceName("docker0")),
        .meta(.l4Protocol, into: .r1), .compare(.equal, .r1, [6]),
        .payload(base: .transport, offset: 2, length: 2, into: .r1), .compare(.equal, .r1, [0x1f, 0x90]),
        .counter(),
        .immediate(.r1, .value([172, 17, 0, 2])), .immediate(.r2, .value([0, 80])),
        .nat(NFTNat(.dnat, addresses: .r1 ... .r1, ports: .r2 ... .r2)),
    ]
    static let established: [NFTExpression] = [
        .conntrack(.state, into: .r1), .bitwise(.r1, into: .r1, mask: [6, 0, 0, 0], xor: [0, 0, 0, 0]),
        .compare(.notEqual, .r1, [0, 0, 0, 0]), .counter(), .verdict(.accept),
    ]
    static let forward = NFTChain(table: "filter", name: "FORWARD", base: .init(hook: .forward, priority: 0, type: "filter", policy: .drop))

    /// Each case: the fixture, the messages BoxLab builds for the same command, and how the trace shows them.
    static let requests: [(fixture: String, messages: [NetlinkMessage], rendered: [String])] = [
        ("table-add", [.newTable(NFTTable(name: "nat"))], ["NFT_MSG_NEWTABLE table=nat"]),
        ("table-del", [.deleteTable(.ip, "nat")], ["NFT_MSG_DELTABLE table=nat"]),
        ("chain-add-base", [.newChain(forward)], ["NFT_MSG_NEWCHAIN table=filter chain=FORWARD type=filter hook=forward priority=0 policy=drop"]),
        ("chain-add", [.newChain(NFTChain(table: "filter", name: "DOCKER"))], ["NFT_MSG_NEWCHAIN table=filter chain=DOCKER"]),
        ("rule-masquerade", [.newRule(NFTRule(table: "nat", chain: "POSTROUTING", expressions: masquerade))], [
            #"NFT_MSG_NEWRULE table=nat chain=POSTROUTING [payload ip saddr == 172.17.0.0/16] [meta oifname != "docker0"] [counter] [masq]"#,
        ]),
        ("rule-bitwise", [.newRule(NFTRule(table: "nat", chain: "POSTROUTING", expressions: [
            .payload(base: .network, offset: 12, length: 4, into: .r1), .bitwise(.r1, into: .r1, mask: [255, 240, 0, 0], xor: [0, 0, 0, 0]),
            .compare(.equal, .r1, [172, 16, 0, 0]), .masquerade(),
        ]))], ["NFT_MSG_NEWRULE table=nat chain=POSTROUTING [payload ip saddr & 255.240.0.0 == 172.16.0.0] [masq]"]),
        ("rule-dnat", [.newRule(NFTRule(table: "nat", chain: "DOCKER", expressions: dnat))], [
            #"NFT_MSG_NEWRULE table=nat chain=DOCKER [meta iifname != "docker0"] [meta l4proto == tcp] [payload tcp dport == 8080] [counter] [dnat to 172.17.0.2:80]"#,
        ]),
        ("rule-snat", [.newRule(NFTRule(table: "nat", chain: "POSTROUTING", expressions: [
            .meta(.outputInterfaceName, into: .r1), .compare(.equal, .r1, interfaceName("eth0")),
            .immediate(.r1, .value([203, 0, 113, 1])), .nat(NFTNat(.snat, addresses: .r1 ... .r1)),
        ]))], [#"NFT_MSG_NEWRULE table=nat chain=POSTROUTING [meta oifname == "eth0"] [snat to 203.0.113.1]"#]),
        ("rule-ct", [.newRule(NFTRule(table: "filter", chain: "FORWARD", expressions: established))], [
            "NFT_MSG_NEWRULE table=filter chain=FORWARD [ct state established,related] [counter] [accept]",
        ]),
        ("rule-jump", [.newRule(NFTRule(table: "filter", chain: "FORWARD", expressions: [
            .meta(.outputInterfaceName, into: .r1), .compare(.equal, .r1, interfaceName("docker0")), .verdict(.jump("DOCKER")),
        ]))], [#"NFT_MSG_NEWRULE table=filter chain=FORWARD [meta oifname == "docker0"] [jump DOCKER]"#]),
        ("rule-verdicts", [
            .newRule(NFTRule(table: "filter", chain: "DOCKER", expressions: [
                .payload(base: .network, offset: 16, length: 4, into: .r1), .compare(.equal, .r1, [10, 0, 0, 1]), .verdict(.drop),
            ])),
            .newRule(NFTRule(table: "filter", chain: "DOCKER", expressions: [.verdict(.return)])),
            .newRule(NFTRule(table: "filter", chain: "FORWARD", expressions: [.verdict(.goto("DOCKER"))])),
        ], [
            "NFT_MSG_NEWRULE table=filter chain=DOCKER [payload ip daddr == 10.0.0.1] [drop]",
            "NFT_MSG_NEWRULE table=filter chain=DOCKER [return]",
            "NFT_MSG_NEWRULE table=filter chain=FORWARD [goto DOCKER]",
        ]),
    ]

    @Test(arguments: requests.map(\.fixture))
    func requestsAreNftsBytes(_ name: String) throws {
        let (_, messages, rendered) = try #require(Self.requests.first { $0.fixture == name })
        let batch = try NetlinkFixture(nft: name).batch()
        #expect(messages.map { unnumbered($0.encoded()) } == batch.map { unnumbered($0.encoded()) })
        #expect(messages.map(\.description) == rendered)
        #expect(batch.map(\.description) == rendered, "nft's own messages read the same")
    }

    @Test func batchMarkersAreNfts() throws {
        let datagram = try #require(try NetlinkFixture(nft: "table-add").sent.first { $0[4] == 16 && $0[5] == 0 })
        let begin = NetlinkMessage.batchBegin.encoded(), end = NetlinkMessage.batchEnd.encoded()
        #expect(Array(datagram.prefix(20)) == begin)
        #expect(unnumbered(Array(datagram.suffix(20))) == end)
        #expect(NetlinkMessage.batchBegin.description == "NFNL_MSG_BATCH_BEGIN")
    }

    @Test func typedValuesReadBackFromTheirOwnMessages() throws {
        for (_, messages, _) in Self.requests {
            for message in messages {
                guard case .netfilter(let body) = message.payload else { Issue.record("not netfilter"); continue }
                let decoded = try NetlinkMessage.decode(message.encoded(), protocol: .netfilter)
                #expect(decoded == [message])
                switch message.type {
                case .newRule: #expect(NetlinkMessage.newRule(NFTRule(body)) == message)
                case .newChain: #expect(NetlinkMessage.newChain(NFTChain(body)) == message)
                case .newTable: #expect(NetlinkMessage.newTable(NFTTable(body)) == message)
                default: break
                }
            }
        }
    }

    @Test func iptablesNftRulesAreRead() throws {
        let masquerade = try NetlinkFixture(nft: "iptables-masquerade").batch()
        #expect(masquerade.map(\.name) == ["NFT_MSG_NEWTABLE", "NFT_MSG_NEWCHAIN", "NFT_MSG_NEWRULE"])
        #expect(masquerade[1].description == "NFT_MSG_NEWCHAIN table=nat chain=POSTROUTING type=nat hook=postrouting priority=100 policy=accept")
        #expect(masquerade[2].description == #"NFT_MSG_NEWRULE table=nat chain=POSTROUTING [meta oifname != "docker0"] [payload ip saddr == 172.17.0.0/16] [counter] [target MASQUERADE]"#)
        guard case .netfilter(let body) = masquerade[2].payload else { Issue.record("not netfilter"); return }
        let rule = NFTRule(body)
        #expect(rule.expressions.prefix(5) == [
            .meta(.outputInterfaceName, into: .r1), .compare(.notEqual, .r1, Array("docker0\0".utf8)),
            .payload(base: .network, offset: 12, length: 2, into: .r1), .compare(.equal, .r1, [172, 17]), .counter(),
        ])
        guard case .other("target", let target)? = rule.expressions.last else { Issue.record("\(rule.expressions)"); return }
        #expect(target.first?.string == "MASQUERADE")
        // iptables-nft's xtables targets and its COMPAT attribute are kept, so its batch encodes to its own bytes.
        for datagram in try NetlinkFixture(nft: "iptables-masquerade").sent {
            #expect(try NetlinkMessage.decode(datagram, protocol: .netfilter).flatMap { $0.encoded() } == datagram)
        }
        let dnat = try NetlinkFixture(nft: "iptables-dnat").batch()
        #expect(dnat.last?.description == "NFT_MSG_NEWRULE table=nat chain=DOCKER [meta l4proto == tcp] [payload tcp dport == 8080] [counter] [target DNAT --to-destination 172.17.0.2:80]")
    }

    @Test func dumpsReadBackAsTheValuesSent() throws {
        let fixture = try NetlinkFixture(nft: "list-ruleset")
        let replies = try fixture.netfilterReplies()
        for datagram in fixture.received {
            let messages = try NetlinkMessage.decode(datagram, protocol: .netfilter)
            #expect(messages.flatMap { $0.encoded() } == datagram, "every reply encodes to its own bytes")
        }
        let bodies = replies.compactMap { reply -> (NetlinkMessageType, NetfilterMessage)? in
            if case .netfilter(let body) = reply.payload { (reply.type, body) } else { nil }
        }
        let tables = bodies.filter { $0.0 == .newTable }.map { NFTTable($0.1) }
        #expect(tables.map(\.name) == ["nat", "filter"])
        #expect(tables.allSatisfy { $0.handle != nil && $0.family == .ip })
        let chains = bodies.filter { $0.0 == .newChain }.map { NFTChain($0.1) }
        var forward = try #require(chains.first { $0.name == "FORWARD" })
        forward.handle = nil
        #expect(forward == Self.forward)
        #expect(chains.first { $0.name == "POSTROUTING" }?.base == .init(hook: .postrouting, priority: 100, type: "nat", policy: .accept))
        #expect(chains.first { $0.name == "DOCKER" && $0.table == "nat" }?.base == nil)
        let rules = bodies.filter { $0.0 == .newRule }.map { NFTRule($0.1) }
        #expect(rules.allSatisfy { $0.handle != nil })
        #expect(rules.map(\.unnumbered).contains(NFTRule(table: "nat", chain: "POSTROUTING", expressions: Self.masquerade)))
        #expect(rules.map(\.unnumbered).contains(NFTRule(table: "nat", chain: "DOCKER", expressions: Self.dnat)), "the kernel's NAT ranges and flags read as nft's")
        #expect(rules.map(\.unnumbered).contains(NFTRule(table: "filter", chain: "FORWARD", expressions: Self.established)), "bitwise with its operation")
        let dumped = try #require(replies.first { $0.type == .newRule && $0.description.contains("masq") })
        #expect(dumped.description.hasPrefix("NFT_MSG_NEWRULE table=nat chain=POSTROUTING handle="))
        #expect(dumped.description.hasSuffix(#" [payload ip saddr == 172.17.0.0/16] [meta oifname != "docker0"] [counter] [masq]"#))
    }

    @Test func dumpRequestsAreNfts() throws {
        let requests = try NetlinkFixture(nft: "list-ruleset").sent.flatMap { try NetlinkMessage.decode($0, protocol: .netfilter) }
        let tables = try #require(requests.first { $0.type == .getTable })
        #expect(unnumbered(tables.encoded()) == NetlinkMessage.nfTablesDump(.getTable).encoded())
        #expect(tables.description == "NFT_MSG_GETTABLE flags=REQUEST|DUMP")
        let chains = try #require(requests.first { $0.type == .getChain })
        #expect(unnumbered(chains.encoded()) == NetlinkMessage.nfTablesDump(.getChain).encoded())
    }

    @Test func refusalsNameTheMessageAndTheCause() throws {
        let fixture = try NetlinkFixture(nft: "rule-jump-missing")
        let rule = try #require(try fixture.batch().first)
        let error = try #require(try fixture.netfilterReplies().compactMap { reply -> NetlinkErrorMessage? in
            if case .error(let error) = reply.payload { error } else { nil }
        }.first)
        #expect(error.errno == .ENOENT)
        #expect(error.requestSequence == 1, "the kernel names the message of the batch it refused by its sequence number")
        #expect(rule.description == "NFT_MSG_NEWRULE table=filter chain=FORWARD [jump MISSING]")
        #expect(error.offset == 48, "the kernel points at the rule's first expression")
        #expect(NFTables.explain(rule, .ENOENT, offset: error.offset) == "there is no chain MISSING in table ip filter for expression 1, [jump MISSING]")
        #expect(NFTables.explain(rule, .ENOENT) == "there is no table ip filter, no chain FORWARD in it, or no chain MISSING to jump to")
        // 20 bytes of headers, then the table's attribute (12) and the chain's.
        #expect(NFTables.explain(rule, .ENOENT, offset: 20) == "there is no table ip filter")
        #expect(NFTables.explain(rule, .ENOENT, offset: 32) == "there is no chain FORWARD in table ip filter")
        #expect(NFTables.explain(.deleteChain(.ip, table: "filter", "DOCKER"), .EBUSY) == "chain DOCKER still has rules, or a rule jumps to it: delete those first")
    }

    @Test func messageTypesAndFlags() {
        #expect(NetlinkMessageType.newRule.description == "NFT_MSG_NEWRULE")
        #expect(NetlinkMessageType(rawValue: 0x0a0f).description == "NFT_MSG_NEWGEN")
        #expect(NetlinkFlags([.request, .dump]).description(for: .getRule) == "REQUEST|DUMP")
        #expect(NetlinkFlags([.request, .create, .append]).description(for: .newRule) == "REQUEST|CREATE|APPEND")
        #expect(NetlinkFlags([.request, .nonRecursive]).description(for: .deleteChain) == "REQUEST|NONREC")
    }
}
