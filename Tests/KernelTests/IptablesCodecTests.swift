import Kernel
import Testing

/// iptables-nft's messages (Fixtures/nft-iptables-*.hex, iptables v1.8.9): BoxLab's `iptables`
/// sends the same bytes, and what iptables-nft sent means the same to BoxLab.
@Suite struct IptablesCodecTests {
    typealias Meaning = NFTRuleMeaning
    static let docker0 = Meaning.Test("docker0")
    static let masquerade = Meaning(source: .init(IPPrefix("172.17.0.0/16")!), output: .init("docker0", negated: true), action: .masquerade)
    static let dnat = Meaning(transport: 6, destinationPort: 8080, action: .dnat(IPAddress("172.17.0.2")!, port: 80))
    static let dnatAddress = Meaning(transport: 6, destinationPort: 8080, action: .dnat(IPAddress("172.17.0.2")!, port: nil))
    static let established = Meaning(states: .init(6), action: .verdict(.accept))
    static let accept = Meaning(destination: .init(IPPrefix("10.0.0.0/8")!), input: docker0, output: .init("docker0", negated: true),
                                transport: 17, destinationPort: 53, action: .verdict(.accept))
    static let insert = Meaning(source: .init(IPPrefix("10.0.0.0/12")!, negated: true), action: .verdict(.drop))
    static let nat = NetlinkMessage.iptablesTable("nat"), filter = NetlinkMessage.iptablesTable("filter")
    static func builtin(_ table: String, _ chain: String) -> NetlinkMessage { .iptablesChain(NFTChain.iptablesBuiltin(table: table, chain: chain)!) }

    /// Each case: the fixture, the messages BoxLab builds for the same command, and the rule's iptables form.
    static let requests: [(fixture: String, messages: [NetlinkMessage], form: String?)] = [
        ("masquerade", [nat, builtin("nat", "POSTROUTING"), .newRule(NFTRule(iptables: "nat", chain: "POSTROUTING", masquerade))],
         "-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE"),
        ("dnat", [.newRule(NFTRule(iptables: "nat", chain: "DOCKER", dnat))], "-A DOCKER -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.17.0.2:80"),
        ("dnat-address", [nat, builtin("nat", "PREROUTING"), .newRule(NFTRule(iptables: "nat", chain: "PREROUTING", dnatAddress), atStart: true)],
         "-A PREROUTING -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.17.0.2"),
        ("ctstate", [filter, builtin("filter", "FORWARD"), .newRule(NFTRule(iptables: "filter", chain: "FORWARD", established))],
         "-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT"),
        ("accept", [filter, builtin("filter", "FORWARD"), .newRule(NFTRule(iptables: "filter", chain: "FORWARD", accept))],
         "-A FORWARD -d 10.0.0.0/8 -i docker0 ! -o docker0 -p udp -m udp --dport 53 -j ACCEPT"),
        ("jump", [builtin("nat", "PREROUTING"), .newRule(NFTRule(iptables: "nat", chain: "PREROUTING", Meaning(action: .verdict(.jump("DOCKER")))))],
         "-A PREROUTING -j DOCKER"),
        ("insert", [.newRule(NFTRule(iptables: "filter", chain: "FORWARD", insert), atStart: true)], "-A FORWARD ! -s 10.0.0.0/12 -j DROP"),
        ("policy", [filter, builtin("filter", "FORWARD"), .iptablesPolicy(NFTChain(table: "filter", name: "FORWARD", base: .init(hook: .forward, priority: 0, type: "filter", policy: .drop)))], nil),
        ("new-chain", [nat, .iptablesChain(NFTChain(table: "nat", name: "DOCKER"))], nil),
        ("flush", [.deleteRule(.ip, table: "nat", chain: "POSTROUTING", handle: nil)], nil),
    ]

    @Test(arguments: requests.map(\.fixture))
    func requestsAreIptablesNftsBytes(_ name: String) throws {
        let (_, messages, form) = try #require(Self.requests.first { $0.fixture == name })
        let batch = try NetlinkFixture(nft: "iptables-" + name).batch()
        #expect(messages.map(\.description) == batch.map(\.description))
        #expect(messages.map { unnumbered($0.encoded()) } == batch.map { unnumbered($0.encoded()) })
        guard let form else { return }
        // What iptables-nft sent means the same, and reads back in iptables' words.
        guard case .netfilter(let body)? = batch.last?.payload else { Issue.record("not netfilter"); return }
        let rule = NFTRule(body)
        #expect(rule.iptablesForm == form)
        #expect(rule.compatProtocol == UInt32(rule.meaning.transport ?? 0))
    }

    @Test func insertAtANumberAndDeleteAreIptablesNfts() throws {
        // -I FORWARD 2: before the second rule, by its handle.
        let insert = try NetlinkFixture(nft: "iptables-insert-number").batch()
        var rule = NFTRule(iptables: "filter", chain: "FORWARD", Meaning(action: .verdict(.drop)))
        rule.position = 3
        #expect([NetlinkMessage.newRule(rule, atStart: true)].map { unnumbered($0.encoded()) } == insert.map { unnumbered($0.encoded()) })
        // -D FORWARD -s 10.0.0.2 -j RETURN: the rule that means the same, sent back as the kernel dumped it.
        let fixture = try NetlinkFixture(nft: "iptables-delete")
        let dumped = try fixture.netfilterReplies().compactMap { reply -> NFTRule? in
            guard reply.type == .newRule, case .netfilter(let body) = reply.payload else { return nil }
            return NFTRule(body)
        }
        let wanted = NFTRule(iptables: "filter", chain: "FORWARD", Meaning(source: .init(IPPrefix("10.0.0.2/32")!), action: .verdict(.return))).meaning
        let found = try #require(dumped.first { $0.meaning == wanted })
        #expect(found.handle == 3 && found.position == 2)
        let batch = try fixture.batch()
        #expect([NetlinkMessage.iptablesDeleteRule(found)].map { unnumbered($0.encoded()) } == batch.map { unnumbered($0.encoded()) })
    }

    @Test func nftsNativeRulesMeanTheSame() throws {
        let replies = try NetlinkFixture(nft: "list-ruleset").netfilterReplies()
        let forms = replies.compactMap { reply -> String? in
            guard reply.type == .newRule, case .netfilter(let body) = reply.payload else { return nil }
            return NFTRule(body).iptablesForm
        }
        #expect(forms.contains("-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE"))
        #expect(forms.contains("-A DOCKER ! -i docker0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.17.0.2:80"))
        #expect(forms.contains("-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT"))
        #expect(forms.contains("-A FORWARD -o docker0 -j DOCKER"))
        let masquerade = NFTRule(table: "nat", chain: "POSTROUTING", expressions: NFTablesCodecTests.masquerade).meaning
        #expect(masquerade.source == Self.masquerade.source && masquerade.output == Self.masquerade.output && masquerade.action == .masquerade)
    }

    @Test func oddRulesReadAsWhatTheyAreNotAsATrap() {
        // A 64-byte mask, a comparison of an unloaded register, a NAT with no values: unread, not misread.
        let rule = NFTRule(table: "nat", chain: "POSTROUTING", expressions: [
            .payload(base: .network, offset: 12, length: 4, into: .r1), .bitwise(.r1, into: .r1, mask: [UInt8](repeating: 255, count: 64), xor: [UInt8](repeating: 0, count: 64)),
            .compare(.equal, .r1, [10, 0, 0, 0]), .compare(.equal, .r3, [1]),
            .nat(NFTNat(.dnat, addresses: .r1 ... .r1)),
        ])
        let meaning = rule.meaning
        #expect(meaning.source == nil)
        #expect(meaning.unread.count == 2)
        #expect(meaning.action == .dnat(nil, port: nil))
        #expect(rule.iptablesForm.hasPrefix("-A POSTROUTING # nft: "))
    }

    @Test func xtablesStructsReadAsTheySay() {
        #expect(NFTExpression.target(.dnat(IPAddress("172.17.0.2")!, port: 80)).target == .dnat(IPAddress("172.17.0.2")!, port: 80))
        #expect(NFTExpression.match(.conntrackState(8, inverted: true)).match == .conntrackState(8, inverted: true))
        #expect(XTMatch.conntrackState(8, inverted: true).iptablesArguments == ["-m", "conntrack", "!", "--ctstate", "NEW"])
        // A prefix that is not whole bytes is masked, as iptables-nft masks it.
        let rule = NFTRule(iptables: "nat", chain: "POSTROUTING", Meaning(source: .init(IPPrefix("172.16.0.0/12")!), action: .masquerade))
        #expect(rule.expressions.prefix(3) == [
            .payload(base: .network, offset: 12, length: 4, into: .r1), .bitwise(.r1, into: .r1, mask: [255, 240, 0, 0], xor: [0, 0, 0, 0]),
            .compare(.equal, .r1, [172, 16, 0, 0]),
        ])
        #expect(rule.meaning.source?.value == IPPrefix("172.16.0.0/12"))
        #expect(NetlinkMessage.newRule(rule).description == "NFT_MSG_NEWRULE table=nat chain=POSTROUTING [payload ip saddr & 255.240.0.0 == 172.16.0.0] [counter] [target MASQUERADE]")
    }
}
