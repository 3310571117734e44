import Foundation
import Glibc
import Kernel
@testable import Lab
import Testing

/// Host mode's nf_tables objects and net.* parameters are journaled and undone by `reset`,
/// which never deletes what it did not make. "The host" here is the sandbox's namespace: the
/// suite runs only inside `boxlab sandbox` (as scripts/test runs it), so the machine's own
/// firewall is never touched. Its names are its own: other suites share the namespace.
@Suite(.enabled(if: Harness.isRoot && ProcessInfo.processInfo.environment["BOXLAB_SANDBOX_NS"] != nil,
                "needs root inside `boxlab sandbox --`: it changes the firewall of the namespace it runs in"))
struct NetfilterCleanupTests {
    /// Stands for Docker's table: made by nft before BoxLab runs.
    static let theirs = "cleanup-dockerish"
    static let ours = "cleanup-boxlab"

    @Test("reset deletes by handle the table, chain and rule BoxLab made, and leaves a table, chain and rule nft made")
    func netfilterReset() throws {
        let harness = Harness()
        try nft("add table ip \(Self.theirs)")
        defer { _ = try? nft("delete table ip \(Self.theirs)"); _ = try? nft("delete table ip \(Self.ours)") }
        try nft("add chain ip \(Self.theirs) POSTROUTING { type nat hook postrouting priority 100; policy accept; }")
        try nft("add rule ip \(Self.theirs) POSTROUTING oifname \"eth9\" masquerade")
        let before = try nft("-a list table ip \(Self.theirs)")

        let run = RunDirectory(path: harness.runDir)
        try Workbench.prepareHostDirectories(run)
        let bench = Workbench(run: run, isolation: .host)
        let masquerade = NFTRule(table: Self.theirs, chain: "POSTROUTING", expressions: [
            .payload(base: .network, offset: 12, length: 4, into: .r1), .bitwise(.r1, into: .r1, mask: [255, 255, 0, 0], xor: [0, 0, 0, 0]),
            .compare(.equal, .r1, [172, 17, 0, 0]), .masquerade(),
        ])
        let dnat = NFTRule(table: Self.theirs, chain: "DOCKER", expressions: [
            .meta(.l4Protocol, into: .r1), .compare(.equal, .r1, [6]),
            .payload(base: .transport, offset: 2, length: 2, into: .r1), .compare(.equal, .r1, [0x1f, 0x90]),
            .immediate(.r1, .value([172, 17, 0, 2])), .immediate(.r2, .value([0, 80])),
            .nat(NFTNat(.dnat, addresses: .r1 ... .r1, ports: .r2 ... .r2)),
        ])
        try bench.committingNetfilter([
            .newTable(NFTTable(name: Self.theirs)),  // there already: not BoxLab's to delete
            .newChain(NFTChain(table: Self.theirs, name: "DOCKER")),
            .newRule(dnat),  // in BoxLab's chain: goes with it
            .newRule(masquerade),
            .newTable(NFTTable(name: Self.ours)),
            .newChain(NFTChain(table: Self.ours, name: "FORWARD", base: .init(hook: .forward, priority: 0, type: "filter", policy: .drop))),
        ], in: NetworkPlaces.host)
        // A second batch adds to BoxLab's own table: nothing more to journal.
        try bench.committingNetfilter([.newRule(NFTRule(table: Self.ours, chain: "FORWARD", expressions: [.verdict(.accept)]))], in: NetworkPlaces.host)

        let journaled = bench.ledger.entries().filter {
            switch $0 {
            case .nfTable(_, _, _?), .nfChain(_, _, _, _?), .nfRule(_, _, _, _?): true
            default: false
            }
        }
        let listed = try nft("-a list ruleset")
        func handle(_ line: String) -> UInt64? {
            listed.split(separator: "\n").first { $0.contains(line) }.flatMap { $0.split(separator: " ").last }.flatMap { UInt64($0) }
        }
        let chain = try #require(handle("chain DOCKER {"), "\(listed)")
        let rule = try #require(handle("ip saddr 172.17.0.0/16 masquerade"), "\(listed)")
        let table = try #require(handle("table ip \(Self.ours) {"), "\(listed)")
        #expect(journaled == [
            .nfTable(family: 2, name: Self.ours, handle: table),
            .nfChain(family: 2, table: Self.theirs, name: "DOCKER", handle: chain),
            .nfRule(family: 2, table: Self.theirs, chain: "POSTROUTING", handle: rule),
        ], "\(listed)")
        // The intents came first, before the batch.
        let entries = bench.ledger.entries()
        let intents: [LedgerEntry] = [
            .nfTable(family: 2, name: Self.ours), .nfChain(family: 2, table: Self.theirs, name: "DOCKER"),
            .nfRule(family: 2, table: Self.theirs, chain: "POSTROUTING"),
        ]
        #expect(intents.map { entries.firstIndex(of: $0) ?? .max }.allSatisfy { $0 < entries.firstIndex(of: journaled[0])! })

        let reset = try harness.boxlab("reset")
        #expect(reset.status == 0, "\(reset.output)")
        harness.expectLines(["deleted rule", "deleted chain ip \(Self.theirs) DOCKER", "deleted table ip \(Self.ours)"], in: reset.stdout)
        #expect(!reset.stdout.contains("left"), "every intent was followed by its handle: \(reset.stdout)")
        #expect(try nft("-a list table ip \(Self.theirs)") == before, "nft's table, chain and rule are as they were")
        #expect(try !nft("list tables").contains(Self.ours))
        harness.expectNothingLeft()
    }

    @Test("reset leaves a table whose handle has another name, and reports one journaled only as an intent")
    func renamedTableIsLeft() throws {
        let harness = Harness()
        let run = RunDirectory(path: harness.runDir)
        try Workbench.prepareHostDirectories(run)
        try nft("add table ip \(Self.ours)-other")
        defer { _ = try? nft("delete table ip \(Self.ours)-other") }
        let handle = try #require(try NFTables().tables(family: .ip).first { $0.name == "\(Self.ours)-other" }?.handle)
        // A forged or stale line: the handle is that of a table BoxLab did not make.
        try Ledger(path: run.ledger).record(.nfTable(family: 2, name: Self.ours, handle: handle))
        // BoxLab stopped between its intent and the commit; someone made the table since.
        try Ledger(path: run.ledger).record(.nfTable(family: 2, name: "\(Self.ours)-other"))
        let reset = try harness.boxlab("reset")
        #expect(reset.stdout.contains("left table ip \(Self.ours): the table with its handle is now \(Self.ours)-other"), "\(reset.output)")
        #expect(reset.stdout.contains("left table ip \(Self.ours)-other if it is there: BoxLab stopped while making it"), "\(reset.output)")
        #expect(try nft("list tables").contains("\(Self.ours)-other"))
    }

    @Test("a net.* parameter set with --host is put back by reset after SIGKILL, unless it changed since")
    func sysctlReset() throws {
        let parameter = "/proc/sys/net/ipv4/ip_default_ttl"
        let original = try String(contentsOfFile: parameter, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        defer { try? (original + "\n").write(toFile: parameter, atomically: false, encoding: .utf8) }
        for changedSince in [false, true] {
            let harness = Harness()
            try harness.runKilledInTheMiddle("""
            sysctl -w net.ipv4.ip_default_ttl=99
            sysctl -w net.ipv4.ip_default_ttl=98
            """) { (try? String(contentsOfFile: parameter, encoding: .utf8)) == "98\n" }
            if changedSince { try "97\n".write(toFile: parameter, atomically: false, encoding: .utf8) }
            let reset = try harness.boxlab("reset")
            #expect(reset.status == 0, "\(reset.output)")
            let now = try String(contentsOfFile: parameter, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            if changedSince {
                #expect(now == "97")
                #expect(reset.stdout.contains("left net.ipv4.ip_default_ttl = 97: changed since BoxLab set it to 98"), "\(reset.output)")
                try (original + "\n").write(toFile: parameter, atomically: false, encoding: .utf8)
            } else {
                #expect(now == original)
                #expect(reset.stdout.contains("restored net.ipv4.ip_default_ttl = \(original)"), "\(reset.output)")
            }
            harness.expectNothingLeft()
        }
    }

    @Test("lab 06's commands with --host, SIGKILL in the middle, reset: the firewall and ip_forward as before, and nft's own table kept")
    func labKilledInTheMiddle() throws {
        let forwarding = "/proc/sys/net/ipv4/ip_forward"
        let original = try String(contentsOfFile: forwarding, encoding: .utf8)
        // Its own table: the suite's tests run at once, in one namespace.
        let theirs = Self.theirs + "-lab"
        defer { try? original.write(toFile: forwarding, atomically: false, encoding: .utf8) }
        try nft("add table ip \(theirs)")
        defer { _ = try? nft("delete table ip \(theirs)") }
        try nft("add chain ip \(theirs) POSTROUTING { type nat hook postrouting priority 100; policy accept; }")
        try nft("add rule ip \(theirs) POSTROUTING oifname \"eth9\" masquerade")
        let before = try nft("list table ip \(theirs)")
        let harness = Harness()
        try harness.runKilledInTheMiddle("""
        sysctl -w net.ipv4.ip_forward=1
        iptables -t nat -A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE
        iptables -t nat -N DOCKER
        iptables -t nat -A PREROUTING -j DOCKER
        iptables -t nat -A DOCKER ! -i docker0 -p tcp --dport 8080 -j DNAT --to-destination 172.17.0.2:80
        iptables -P FORWARD DROP
        iptables -A FORWARD -i docker0 ! -o docker0 -j ACCEPT
        nft add rule ip \(theirs) POSTROUTING ip saddr 172.18.0.0/16 masquerade
        """) { (try? nft("list ruleset").contains("DOCKER")) == true }
        let reset = try harness.boxlab("reset")
        #expect(reset.status == 0, "\(reset.output)")
        #expect(try nft("list table ip \(theirs)") == before, "\(reset.output)")
        let tables = try nft("list tables")
        #expect(!tables.contains("table ip nat") && !tables.contains("table ip filter"), "\(tables)\n\(reset.output)")
        #expect(try String(contentsOfFile: forwarding, encoding: .utf8) == original, "\(reset.output)")
        harness.expectNothingLeft()
    }

    /// Runs nft in this process's namespace (the sandbox's) and returns what it printed.
    @discardableResult
    private func nft(_ arguments: String) throws -> String {
        let harness = Harness()
        defer { try? FileManager.default.removeItem(atPath: harness.base) }
        // nft joins its arguments with spaces: one word each is the same command, and options are read.
        let result = try harness.run(Child(executable: "/usr/sbin/nft", arguments: arguments.split(separator: " ").map(String.init), environment: ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin"]))
        guard result.status == 0 else { throw NFTFailure(description: "nft \(arguments): \(result.output)") }
        return result.stdout
    }

    struct NFTFailure: Error, CustomStringConvertible {
        let description: String
    }
}
