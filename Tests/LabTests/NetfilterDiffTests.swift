import Kernel
@testable import Lab
import Testing

/// How nf_tables objects read in the state diff and in the `show net` picture.
struct NetfilterDiffTests {
    static let masquerade = NFTRule(table: "nat", chain: "POSTROUTING", expressions: [
        .payload(base: .network, offset: 12, length: 4, into: .r1), .bitwise(.r1, into: .r1, mask: [255, 255, 0, 0], xor: [0, 0, 0, 0]),
        .compare(.equal, .r1, [172, 17, 0, 0]),
        .meta(.outputInterfaceName, into: .r1), .compare(.notEqual, .r1, Array("docker0".utf8) + Array(repeating: 0, count: 9)),
        .counter(packets: 3, bytes: 180), .masquerade(),
    ], handle: 4)
    static let dnat = NFTRule(table: "nat", chain: "DOCKER", expressions: [
        .meta(.inputInterfaceName, into: .r1), .compare(.notEqual, .r1, Array("docker0".utf8) + Array(repeating: 0, count: 9)),
        .meta(.l4Protocol, into: .r1), .compare(.equal, .r1, [6]),
        .payload(base: .transport, offset: 2, length: 2, into: .r1), .compare(.equal, .r1, [0x1f, 0x90]),
        .immediate(.r1, .value([172, 17, 0, 2])), .immediate(.r2, .value([0, 80])),
        .nat(NFTNat(.dnat, addresses: .r1 ... .r1, ports: .r2 ... .r2)),
    ])

    static func snapshot(policy: String = "accept", rules: [NFTRule]) -> NetfilterSnapshot {
        var snapshot = NetfilterSnapshot()
        snapshot.tables = ["ip nat", "ip filter"]
        snapshot.chains = [
            "ip nat POSTROUTING": "nat hook postrouting priority 100 policy accept", "ip nat DOCKER": "",
            "ip filter FORWARD": "filter hook forward priority 0 policy \(policy)",
        ]
        for rule in rules { snapshot.rules["ip \(rule.table) \(rule.chain)", default: []].append(NetfilterSnapshot.line(for: rule)) }
        return snapshot
    }

    @Test("new tables, chains and rules are listed with what they are; a new table's contents too")
    func additions() {
        let lines = NetfilterSnapshot.changes(from: NetfilterSnapshot(), to: Self.snapshot(rules: [Self.masquerade]), place: "")
        #expect(lines == [
            "+ table ip filter", "+ table ip nat",
            "+ chain ip filter FORWARD (filter hook forward priority 0 policy accept)",
            "+ chain ip nat DOCKER",
            "+ chain ip nat POSTROUTING (nat hook postrouting priority 100 policy accept)",
            "+ rule ip nat POSTROUTING: -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE",
        ])
    }

    @Test("a policy change, a rule gone and one added, in a namespace; counters and handles change nothing")
    func changes() {
        var counted = Self.masquerade
        counted.expressions[5] = .counter(packets: 9000, bytes: 1_000_000)
        counted.handle = 99
        let before = Self.snapshot(rules: [Self.masquerade, Self.dnat])
        #expect(NetfilterSnapshot.changes(from: before, to: Self.snapshot(rules: [counted, Self.dnat]), place: " in c1").isEmpty)
        let lines = NetfilterSnapshot.changes(from: before, to: Self.snapshot(policy: "drop", rules: [counted]), place: " in c1")
        #expect(lines == [
            "~ chain ip filter FORWARD in c1: policy accept -> drop",
            "- rule ip nat DOCKER in c1: ! -i docker0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.17.0.2:80",
        ])
    }

    @Test("a deleted table is one line, not one per chain and rule that went with it")
    func deletedTable() {
        var after = Self.snapshot(rules: [])
        after.tables = ["ip filter"]
        after.chains = ["ip filter FORWARD": "filter hook forward priority 0 policy accept"]
        #expect(NetfilterSnapshot.changes(from: Self.snapshot(rules: [Self.masquerade]), to: after, place: "") == ["- table ip nat"])
    }

    @Test("NAT rules in a few words, for the picture; other rules have none")
    func natSummary() {
        #expect(NATSummary(Self.masquerade)?.text == "masquerade 172.17.0.0/16 → out !docker0")
        #expect(NATSummary(Self.dnat)?.text == "dnat tcp :8080 → 172.17.0.2:80 (in !docker0)")
        #expect(NATSummary(NFTRule(table: "filter", chain: "FORWARD", expressions: [.verdict(.accept)])) == nil)
    }

    /// As `iptables-nft -t nat -A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE` and
    /// `-A DOCKER ! -i docker0 -p tcp --dport 8080 -j DNAT --to-destination 172.17.0.2:80`
    /// leave them in the kernel: a /16 loaded as two bytes, names compared with one NUL, and
    /// xtables targets with their structs (as XTTarget encodes them, byte for byte iptables-nft's).
    @Test("iptables-nft's NAT rules read the same as nf_tables' own")
    func iptablesSummary() {
        let docker0 = Array("docker0".utf8) + [0]
        let masquerade = NFTRule(table: "nat", chain: "POSTROUTING", expressions: [
            .meta(.outputInterfaceName, into: .r1), .compare(.notEqual, .r1, docker0),
            .payload(base: .network, offset: 12, length: 2, into: .r1), .compare(.equal, .r1, [172, 17]),
            .counter(), .target(.masquerade),
        ])
        let dnat = NFTRule(table: "nat", chain: "DOCKER", expressions: [
            .meta(.inputInterfaceName, into: .r1), .compare(.notEqual, .r1, docker0),
            .meta(.l4Protocol, into: .r1), .compare(.equal, .r1, [6]),
            .payload(base: .transport, offset: 2, length: 2, into: .r1), .compare(.equal, .r1, [0x1f, 0x90]),
            .counter(), .target(.dnat(IPAddress("172.17.0.2")!, port: 80)),
        ])
        #expect(NATSummary(masquerade)?.text == "masquerade 172.17.0.0/16 → out !docker0")
        #expect(NATSummary(dnat)?.text == "dnat tcp :8080 → 172.17.0.2:80 (in !docker0)")
    }

    @Test("the picture marks a namespace's NAT rules under it, wrapped to the width, and nothing without them")
    func picture() {
        var topology = TopologyTests.sample
        let plain = topology.text()
        #expect(!plain.contains("nat:"))
        topology.nat["host"] = ["masquerade 172.17.0.0/16 → out !docker0"] + (0..<6).map { "dnat tcp :\(8080 + $0) → 172.17.0.\(2 + $0):80" }
        let picture = topology.text()
        #expect(picture.contains("c1: eth0 UP 172.17.0.2/16\n  nat: masquerade 172.17.0.0/16 → out !docker0; dnat tcp :8080 → 172.17.0.2:80;\n       dnat tcp :8081"))
        #expect(picture.split(separator: "\n").allSatisfy { $0.count <= 100 && !$0.hasSuffix("…") })
        #expect(picture.replacing(/\n  nat:[^\n]*(\n       [^\n]*)*/, with: "") == plain)
    }
}
