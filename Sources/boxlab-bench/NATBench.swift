import Foundation
import Glibc
import Kernel

/// (g) Publishing 50 ports (DNAT in a DOCKER chain, as `docker run -p` does) and
/// masquerading 50 subnets, then removing those 100 rules: BoxLab's nf_tables messages (the
/// Kernel's `NFTables` client: one batch to add, a dump for the handles and one batch to
/// remove), next to one `iptables-nft` process per rule, next to one `nft -f` file each way
/// (`nft --echo --handle` reports the handles the removal file names).
///
/// Every round runs in a network namespace of its own, made for it with unshare(CLONE_NEWNET)
/// on a thread whose children inherit it: the firewall of the machine, and even the
/// sandbox's, is never touched. The tables go with the namespace.
struct NATBench {
    let options: BenchOptions
    let work: String
    static let rules = 50
    static let rounds = 5

    func run() -> Bool {
        Table.section("Publishing \(NATBench.rules) ports and masquerading \(NATBench.rules) subnets, then removing them (\(2 * NATBench.rules) rules; \(NATBench.rounds) rounds interleaved, each in a new network namespace; median / p90)")
        guard let iptables = which("iptables-nft"), let nft = which("nft") else {
            Table.failed("nat", BenchError("no iptables-nft or nft on PATH: apt-get install iptables nftables (scripts/setup --bench)"))
            return false
        }
        var boxlab = Samples(), perRule = Samples(), file = Samples()
        do {
            for _ in 0..<NATBench.rounds {
                boxlab.add(Double(try inNewNamespace { try timeBoxLab() }))
                perRule.add(Double(try inNewNamespace { try timeIptables(iptables) }))
                file.add(Double(try inNewNamespace { try timeNftFile(nft) }))
            }
        } catch {
            Table.failed("nat", BenchError(error))
            return false
        }
        let operations = Double(4 * NATBench.rules)
        Table.row("BoxLab, nf_tables batches (Kernel client)", Table.medianAndP90(boxlab), "\(Table.duration(boxlab.median / operations)) per rule added or removed")
        Table.row("iptables-nft, one process per rule", Table.medianAndP90(perRule),
                  "\(Table.duration(perRule.median / operations)) per rule; BoxLab is \(Table.ratio(perRule.median, to: boxlab.median)) faster")
        Table.row("nft -f, one file each way", Table.medianAndP90(file),
                  "\(Table.duration(file.median / operations)) per rule; BoxLab is \(Table.ratio(file.median, to: boxlab.median)) faster")
        return true
    }

    /// The rules as iptables words, in the order they are added.
    static var iptablesRules: [[String]] {
        (0..<rules).map { ["-t", "nat", "-A", "DOCKER", "!", "-i", "docker0", "-p", "tcp", "--dport", "\(8000 + $0)", "-j", "DNAT", "--to-destination", "172.17.\($0 / 200).\($0 % 200 + 2):80"] }
            + (0..<rules).map { ["-t", "nat", "-A", "POSTROUTING", "-s", "10.\($0).0.0/16", "!", "-o", "docker0", "-j", "MASQUERADE"] }
    }

    /// The same in nft's language, with the table and chains iptables-nft makes by itself.
    static var nftAdditions: String {
        var lines = [
            "add table ip nat",
            "add chain ip nat PREROUTING { type nat hook prerouting priority dstnat; policy accept; }",
            "add chain ip nat POSTROUTING { type nat hook postrouting priority srcnat; policy accept; }",
            "add chain ip nat DOCKER",
            "add rule ip nat PREROUTING jump DOCKER",
        ]
        lines += (0..<rules).map { "add rule ip nat DOCKER iifname != \"docker0\" tcp dport \(8000 + $0) dnat to 172.17.\($0 / 200).\($0 % 200 + 2):80" }
        lines += (0..<rules).map { "add rule ip nat POSTROUTING ip saddr 10.\($0).0.0/16 oifname != \"docker0\" masquerade" }
        return lines.joined(separator: "\n") + "\n"
    }

    /// BoxLab's messages for the same: the table, the chains and the 100 rules.
    static var messages: [NetlinkMessage] {
        let docker0 = Array("docker0".utf8) + [UInt8](repeating: 0, count: 9)
        var messages: [NetlinkMessage] = [
            .newTable(NFTTable(name: "nat")),
            .newChain(NFTChain(table: "nat", name: "PREROUTING", base: .init(hook: .prerouting, priority: -100, type: "nat"))),
            .newChain(NFTChain(table: "nat", name: "POSTROUTING", base: .init(hook: .postrouting, priority: 100, type: "nat"))),
            .newChain(NFTChain(table: "nat", name: "DOCKER")),
            .newRule(NFTRule(table: "nat", chain: "PREROUTING", expressions: [.verdict(.jump("DOCKER"))])),
        ]
        for number in 0..<rules {
            let port = UInt16(8000 + number)
            let published: [NFTExpression] = [
                .meta(.inputInterfaceName, into: .r1), .compare(.notEqual, .r1, docker0),
                .meta(.l4Protocol, into: .r1), .compare(.equal, .r1, [6]),
                .payload(base: .transport, offset: 2, length: 2, into: .r1), .compare(.equal, .r1, [UInt8(port >> 8), UInt8(port & 0xff)]),
                .immediate(.r1, .value([172, 17, UInt8(number / 200), UInt8(number % 200 + 2)])), .immediate(.r2, .value([0, 80])),
                .nat(NFTNat(.dnat, addresses: .r1 ... .r1, ports: .r2 ... .r2)),
            ]
            messages.append(.newRule(NFTRule(table: "nat", chain: "DOCKER", expressions: published)))
        }
        for number in 0..<rules {
            let masqueraded: [NFTExpression] = [
                .payload(base: .network, offset: 12, length: 4, into: .r1), .bitwise(.r1, into: .r1, mask: [255, 255, 0, 0], xor: [0, 0, 0, 0]),
                .compare(.equal, .r1, [10, UInt8(number), 0, 0]),
                .meta(.outputInterfaceName, into: .r1), .compare(.notEqual, .r1, docker0), .masquerade(),
            ]
            messages.append(.newRule(NFTRule(table: "nat", chain: "POSTROUTING", expressions: masqueraded)))
        }
        return messages
    }

    private func timeBoxLab() throws -> UInt64 {
        let start = Clock.now()
        // Building the rules is timed too, as iptables' and nft's parsing of theirs is.
        let messages = NATBench.messages
        let nft = try NFTables()
        try nft.commit(messages)
        let added = try nft.rules(family: .ip, table: "nat").filter { $0.chain != "PREROUTING" }
        try nft.commit(added.map { .deleteRule(.ip, table: "nat", chain: $0.chain, handle: $0.handle) })
        let elapsed = Clock.since(start)
        guard added.count == 2 * NATBench.rules, try nft.rules(family: .ip, table: "nat").count == 1 else {
            throw BenchError("BoxLab: \(added.count) rules added, not all removed")
        }
        return elapsed
    }

    private func timeIptables(_ iptables: String) throws -> UInt64 {
        let rules = NATBench.iptablesRules
        let start = Clock.now()
        // The chain and the jump to it, as Docker makes them (iptables-nft makes the table and its base chains by itself).
        for setup in [["-t", "nat", "-N", "DOCKER"], ["-t", "nat", "-A", "PREROUTING", "-j", "DOCKER"]] { try Spawned.run([iptables, "-w"] + setup, timeout: options.timeout) }
        for rule in rules { try Spawned.run([iptables, "-w"] + rule, timeout: options.timeout) }
        for rule in rules { try Spawned.run([iptables, "-w"] + rule.map { $0 == "-A" ? "-D" : $0 }, timeout: options.timeout) }
        let elapsed = Clock.since(start)
        try expectEmptyChains()
        return elapsed
    }

    private func timeNftFile(_ nft: String) throws -> UInt64 {
        let additions = work + "/nat-add.nft", removals = work + "/nat-delete.nft"
        try NATBench.nftAdditions.write(toFile: additions, atomically: true, encoding: .utf8)
        let start = Clock.now()
        let echoed = try Spawned.run([nft, "--echo", "--handle", "-f", additions], timeout: options.timeout)
        // `add rule ip nat DOCKER … # handle 7`: what the removal file names.
        let deletions = echoed.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("add rule ip nat "), !line.contains("PREROUTING"), let mark = line.range(of: "# handle ") else { return nil }
            let chain = line.dropFirst("add rule ip nat ".count).prefix { $0 != " " }
            return "delete rule ip nat \(chain) handle \(line[mark.upperBound...])"
        }
        try (deletions.joined(separator: "\n") + "\n").write(toFile: removals, atomically: true, encoding: .utf8)
        try Spawned.run([nft, "-f", removals], timeout: options.timeout)
        let elapsed = Clock.since(start)
        guard deletions.count == 2 * NATBench.rules else { throw BenchError("nft --echo --handle reported \(deletions.count) rules:\n\(echoed)") }
        try expectEmptyChains()
        return elapsed
    }

    /// What the round left: the jump only (iptables-nft leaves its chains, as iptables does).
    private func expectEmptyChains() throws {
        let left = try NFTables().rules(family: .ip, table: "nat")
        guard left.allSatisfy({ $0.chain == "PREROUTING" }) else { throw BenchError("\(left.count) rules were not removed") }
    }
}
