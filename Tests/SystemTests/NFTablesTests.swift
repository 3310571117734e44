import Foundation
import Glibc
import Kernel
import Testing

/// nf_tables over BoxLab's own netlink, for real, in a network namespace the test makes (never
/// the sandbox's or the machine's: nf_tables is per namespace), checked against nft's own
/// reading of the kernel's state.
@Suite(.enabled(if: Harness.isRoot, "needs root: a network namespace and nf_tables"))
struct NFTablesTests {
    static let masquerade = NFTRule(table: "nat", chain: "POSTROUTING", expressions: [
        .payload(base: .network, offset: 12, length: 4, into: .r1), .bitwise(.r1, into: .r1, mask: [255, 255, 0, 0], xor: [0, 0, 0, 0]),
        .compare(.equal, .r1, [172, 17, 0, 0]),
        .meta(.outputInterfaceName, into: .r1), .compare(.notEqual, .r1, Array("docker0".utf8) + Array(repeating: 0, count: 9)),
        .counter(), .masquerade(),
    ])
    static let toDocker = NFTRule(table: "nat", chain: "PREROUTING", expressions: [.verdict(.jump("DOCKER"))])
    static let dnat = NFTRule(table: "nat", chain: "DOCKER", expressions: [
        .meta(.l4Protocol, into: .r1), .compare(.equal, .r1, [6]),
        .payload(base: .transport, offset: 2, length: 2, into: .r1), .compare(.equal, .r1, [0x1f, 0x90]),
        .immediate(.r1, .value([172, 17, 0, 2])), .immediate(.r2, .value([0, 80])),
        .nat(NFTNat(.dnat, addresses: .r1 ... .r1, ports: .r2 ... .r2)),
    ])
    static let established = NFTRule(table: "filter", chain: "FORWARD", expressions: [
        .conntrack(.state, into: .r1), .bitwise(.r1, into: .r1, mask: [6, 0, 0, 0], xor: [0, 0, 0, 0]),
        .compare(.notEqual, .r1, [0, 0, 0, 0]), .counter(), .verdict(.accept),
    ])
    static let chains = [
        NFTChain(table: "nat", name: "POSTROUTING", base: .init(hook: .postrouting, priority: 100, type: "nat")),
        NFTChain(table: "nat", name: "PREROUTING", base: .init(hook: .prerouting, priority: -100, type: "nat")),
        NFTChain(table: "nat", name: "DOCKER"),
        NFTChain(table: "filter", name: "FORWARD", base: .init(hook: .forward, priority: 0, type: "filter", policy: .drop)),
    ]

    @Test("tables, chains and rules sent in one batch read back the same, and nft lists them")
    func roundTrip() throws {
        try withScratchNamespace { namespace, nsenter in
            let nft = try NFTables(in: namespace)
            let recorder = TraceRecorder()
            try Trace.recording(into: recorder) {
                try nft.commit(
                    [.newTable(NFTTable(name: "nat")), .newTable(NFTTable(name: "filter"))] + Self.chains.map(NetlinkMessage.newChain)
                        + [Self.masquerade, Self.toDocker, Self.dnat, Self.established].map { NetlinkMessage.newRule($0) }
                )
            }
            let sent = try #require(recorder.entries.first { $0.call == "sendmsg" }).description
            #expect(sent.contains("[NFNL_MSG_BATCH_BEGIN, NFT_MSG_NEWTABLE table=nat, NFT_MSG_NEWTABLE table=filter, "))
            #expect(sent.contains(#"NFT_MSG_NEWRULE table=nat chain=POSTROUTING [payload ip saddr & 255.255.0.0 == 172.17.0.0] [meta oifname != "docker0"] [counter] [masq]"#))
            #expect(sent.contains("NFT_MSG_NEWRULE table=nat chain=DOCKER [meta l4proto == tcp] [payload tcp dport == 8080] [dnat to 172.17.0.2:80]"))

            #expect(try nft.tables(family: .ip).map(\.name) == ["nat", "filter"])
            let chains = try nft.chains().map { chain in var chain = chain; chain.handle = nil; return chain }
            #expect(Set(chains.map { "\($0)" }) == Set(Self.chains.map { "\($0)" }))
            #expect(try nft.rules(table: "nat").map(\.unnumbered) == [Self.masquerade, Self.toDocker, Self.dnat])
            #expect(try nft.rules(table: "filter", chain: "FORWARD").map(\.unnumbered) == [Self.established])

            let listed = try nsenter(["nft", "list", "ruleset"])
            for line in [
                "table ip nat {", "chain POSTROUTING {", "type nat hook postrouting priority srcnat; policy accept;",
                #"ip saddr 172.17.0.0/16 oifname != "docker0" counter packets 0 bytes 0 masquerade"#,
                "type nat hook prerouting priority dstnat; policy accept;", "jump DOCKER",
                "tcp dport 8080 dnat to 172.17.0.2:80", "table ip filter {",
                "type filter hook forward priority filter; policy drop;",
                "ct state established,related counter packets 0 bytes 0 accept",
            ] {
                #expect(listed.contains(line), "nft list ruleset lacks \(line):\n\(listed)")
            }

            // A rule nft made reads as the same expressions BoxLab would send.
            _ = try nsenter(["nft", "add", "rule", "ip", "filter", "FORWARD", "oifname", "docker0", "ip", "daddr", "172.17.0.2", "tcp", "dport", "80", "accept"])
            let added = try #require(try nft.rules(table: "filter", chain: "FORWARD").last)
            #expect(added.unnumbered.expressions == [
                .meta(.outputInterfaceName, into: .r1), .compare(.equal, .r1, Array("docker0".utf8) + Array(repeating: 0, count: 9)),
                .payload(base: .network, offset: 16, length: 4, into: .r1), .compare(.equal, .r1, [172, 17, 0, 2]),
                .meta(.l4Protocol, into: .r1), .compare(.equal, .r1, [6]),
                .payload(base: .transport, offset: 2, length: 2, into: .r1), .compare(.equal, .r1, [0, 80]),
                .verdict(.accept),
            ])

            // BoxLab deletes nft's rule by its handle, and puts one of its own first.
            let first = NFTRule(table: "filter", chain: "FORWARD", expressions: [.counter()])
            try nft.commit([.deleteRule(.ip, table: "filter", chain: "FORWARD", handle: added.handle), .newRule(first, atStart: true)])
            #expect(try nft.rules(table: "filter", chain: "FORWARD").map(\.unnumbered) == [first, Self.established])

            try nft.commit([.deleteTable(.ip, "nat"), .deleteTable(.ip, "filter")])
            #expect(try nft.tables().isEmpty)
            #expect(try nsenter(["nft", "list", "ruleset"]).trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
        }
    }

    @Test("a refused message names itself, carries the kernel's errno and a sentence, and undoes its whole batch")
    func refusal() throws {
        try withScratchNamespace { namespace, _ in
            let nft = try NFTables(in: namespace)
            try nft.commit([.newTable(NFTTable(name: "filter")), .newChain(Self.chains[3])])
            let missing = NFTRule(table: "filter", chain: "FORWARD", expressions: [.verdict(.jump("MISSING"))])
            let error = try #require(throws: KernelError.self) {
                try nft.commit([.newChain(NFTChain(table: "filter", name: "DOCKER")), .newRule(missing)])
            }
            #expect(error.errno == .ENOENT)
            #expect(error.call == "NFT_MSG_NEWRULE", "the second message of the batch, found by its sequence number")
            #expect(error.description == "NFT_MSG_NEWRULE(table=filter chain=FORWARD [jump MISSING]) failed: ENOENT (No such file or directory)")
            #expect(error.detail == "there is no chain MISSING in table ip filter for expression 1, [jump MISSING]")
            #expect(try nft.chains(table: "filter").map(\.name) == ["FORWARD"], "the batch was one transaction: DOCKER was not made")

            let absent = try #require(throws: KernelError.self) { try nft.commit([.deleteTable(.ip, "nat")]) }
            #expect(absent.errno == .ENOENT)
            #expect(absent.detail == "there is no table ip nat")
            let masqueradeInFilter = NFTRule(table: "filter", chain: "FORWARD", expressions: [.masquerade()])
            let misplaced = try #require(throws: KernelError.self) { try nft.commit([.newRule(masqueradeInFilter)]) }
            #expect(misplaced.errno == .EOPNOTSUPP)
            #expect(misplaced.detail?.hasPrefix("[masq] cannot be used in chain FORWARD: nat and masq work only in a nat chain") == true, "\(misplaced): \(misplaced.detail ?? "")")
            try nft.commit([.deleteTable(.ip, "filter")])
            #expect(try nft.tables().isEmpty)
        }
    }

    /// Runs `body` with a network namespace of the test's own, bound in a scratch directory,
    /// and a way to run a program (nft) inside it; then removes both.
    private func withScratchNamespace(_ body: (NetworkNamespace, (_ command: [String]) throws -> String) throws -> Void) throws {
        let harness = Harness()
        let namespaces = NetworkNamespaces(directory: harness.base + "/netns")
        try namespaces.add("nft")
        defer {
            try? namespaces.delete("nft")
            // add() bind-mounted the directory on itself, as `ip netns add` does with /run/netns.
            while (try? MountTable.read().mount(at: namespaces.directory)) != nil {
                guard (try? Mounts.unmount(namespaces.directory, flags: .detach)) != nil else { break }
            }
            try? FileSystem.rmdir(namespaces.directory)
        }
        let namespace = try namespaces.open("nft")
        try body(namespace) { command in
            let child = Child(executable: "/usr/bin/nsenter", arguments: ["--net=" + namespaces.path(of: "nft")] + command,
                              environment: ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin"])
            let result = try harness.run(child)
            guard result.status == 0 else { throw NFTFailure(description: "\(command.joined(separator: " ")): \(result.output)") }
            return result.stdout
        }
    }

    struct NFTFailure: Error, CustomStringConvertible {
        let description: String
    }
}
