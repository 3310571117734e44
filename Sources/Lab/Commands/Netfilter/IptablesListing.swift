import Kernel

/// One table's chains and rules as `iptables -S` and `iptables -L -n` print them, read from
/// nf_tables' dumps: what iptables-nft, nft or BoxLab made reads alike, through each rule's
/// meaning (`NFTRule.iptablesForm`).
struct IptablesListing {
    let table: String
    /// Built-in chains first (those not made yet as iptables-nft shows them: policy ACCEPT),
    /// then the others in the kernel's order.
    let chains: [NFTChain]
    let rules: [NFTRule]

    init(table: String, chains: [NFTChain], rules: [NFTRule], only: String? = nil) {
        self.table = table
        let order = ["PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"]
        let builtins = order.compactMap { name in
            chains.first { $0.name == name && $0.base != nil } ?? NFTChain.iptablesBuiltin(table: table, chain: name)
        }
        let all = builtins + chains.filter { chain in !builtins.contains { $0.name == chain.name } }
        self.chains = all.filter { only == nil || $0.name == only }
        self.rules = rules.filter { only == nil || $0.chain == only }
    }

    /// `-P FORWARD DROP`, `-N DOCKER`, then `-A …` for each rule.
    var rulesText: String {
        var lines = chains.map { chain in
            chain.base.map { "-P \(chain.name) \($0.policy.description.uppercased())" } ?? "-N \(chain.name)"
        }
        for chain in chains { lines += rules.filter { $0.chain == chain.name }.map(\.iptablesForm) }
        return lines.map { $0 + "\n" }.joined()
    }

    /// `Chain FORWARD (policy DROP)`, the header, and a line for each rule (numbered from 1
    /// with `lineNumbers`, as `iptables -L --line-numbers`).
    func tableText(lineNumbers: Bool) -> String {
        chains.map { chain in
            let references = rules.filter { $0.meaning.action == .verdict(.jump(chain.name)) || $0.meaning.action == .verdict(.goto(chain.name)) }.count
            let title = chain.base.map { "Chain \(chain.name) (policy \($0.policy.description.uppercased()))" } ?? "Chain \(chain.name) (\(references) references)"
            let number = { (text: String) in lineNumbers ? text + String(repeating: " ", count: max(1, 5 - text.count)) : "" }
            let rows = rules.filter { $0.chain == chain.name }.enumerated().map { number(String($0.offset + 1)) + Self.row($0.element.meaning) }
            let lines = [title, number("num") + Self.row("target", "prot", "opt", "source", "destination", "")] + rows
            return lines.map { $0 + "\n" }.joined()
        }.joined(separator: "\n")
    }

    private static func row(_ target: String, _ prot: String, _ opt: String, _ source: String, _ destination: String, _ rest: String) -> String {
        // iptables' columns: "%-9s  %-4s %-3s %-20s %-20s ", a long target pushing the rest right.
        func padded(_ text: String, _ width: Int) -> String { text + String(repeating: " ", count: max(0, width - text.count)) }
        return (padded(target, 9) + "  " + padded(prot, 4) + " " + padded(opt, 3) + " " + padded(source, 20) + " " + padded(destination, 20) + " " + rest)
            .replacing(/\ +$/, with: "")
    }

    private static func row(_ meaning: NFTRuleMeaning) -> String {
        func address<V>(_ test: NFTRuleMeaning.Test<V>?) -> String { test.map { ($0.negated ? "!" : "") + "\($0.value)" } ?? "0.0.0.0/0" }
        let target: String = switch meaning.action {
        case .verdict(.jump(let chain))?, .verdict(.goto(let chain))?: chain
        case .verdict(let verdict)?: verdict.description.uppercased()
        case .masquerade?: "MASQUERADE"
        case .dnat?: "DNAT"
        case .snat?: "SNAT"
        case .target(let name)?: name
        case nil: ""
        }
        let prot = meaning.transport.map { [6: "tcp", 17: "udp", 1: "icmp"][$0] ?? String($0) } ?? "all"
        var rest: [String] = []
        if let input = meaning.input { rest.append("in \(input.negated ? "!" : "")\(input.value)") }
        if let output = meaning.output { rest.append("out \(output.negated ? "!" : "")\(output.value)") }
        if let port = meaning.destinationPort { rest.append("\(prot) dpt:\(port)") }
        if let states = meaning.states {
            rest.append("ctstate \(states.negated ? "! " : "")" + XTMatch.stateNames.filter { states.value & $0.bits != 0 }.map(\.name).joined(separator: ","))
        }
        if case .dnat(let address?, let port)? = meaning.action { rest.append("to:\(address)" + (port.map { ":\($0)" } ?? "")) }
        if !meaning.unread.isEmpty { rest.append("nft: " + meaning.unread.joined(separator: " ")) }
        let source = meaning.source.map { $0.value.length == 32 ? NFTRuleMeaning.Test($0.value.address.description, negated: $0.negated) : NFTRuleMeaning.Test($0.value.description, negated: $0.negated) }
        let destination = meaning.destination.map { $0.value.length == 32 ? NFTRuleMeaning.Test($0.value.address.description, negated: $0.negated) : NFTRuleMeaning.Test($0.value.description, negated: $0.negated) }
        return row(target, prot, "--", address(source), address(destination), rest.joined(separator: " "))
    }
}
