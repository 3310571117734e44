import Kernel

/// Checks of firewall and NAT rules, read from nf_tables' dumps in the namespace and judged
/// by meaning (`NFTRuleMeaning`): a rule made by iptables-nft (xtables targets), by nft
/// (native expressions) or by BoxLab passes alike. iptables-legacy's rules are not in
/// nf_tables; when a namespace has legacy tables, a failure says so.
extension Evaluator {
    func checkNetfilter(_ expectation: NetfilterExpectation) -> CheckResult {
        let namespace = expectation.namespace
        let place = where_(namespace)
        var summary: String
        switch expectation.rule {
        case .masquerade(let from, let out):
            summary = "\(from) is masqueraded" + (out.map { " leaving by \($0.negated ? "any interface but " : "")\($0.value)" } ?? "") + place
        case .dnat(let transport, let port, let address, let toPort):
            summary = "\(Self.protocolName(transport)) \(port) is forwarded (DNAT) to \(address)" + (toPort.map { ":\($0)" } ?? "") + place
        case .policy(let table, let chain, let policy):
            summary = "chain \(chain) of table \(table) has policy \(policy)" + place
        }
        let rules: [NFTRule], chains: [NFTChain]
        do throws(KernelError) {
            let nft = try places.nfTables(namespace)
            rules = try nft.rules().filter { $0.family == .ip || $0.family == .inet }
            chains = try nft.chains().filter { $0.family == .ip || $0.family == .inet }
        } catch {
            return CheckResult(passed: false, summary: summary, found: error.errno == .ENOENT ? "there is no network namespace \(namespace)" : "\(error)")
        }
        var result = switch expectation.rule {
        case .masquerade(let from, let out): checkMasquerade(from, out: out, rules)
        case .dnat(let transport, let port, let address, let toPort): checkDNAT(transport, port, to: address, toPort, rules)
        case .policy(let table, let chain, let policy): checkPolicy(table, chain, policy, chains)
        }
        result.summary = summary
        if !result.passed, let legacy = places.iptablesLegacyTables(in: namespace) {
            result.cause = [result.cause, "iptables-legacy tables exist\(place) (\(legacy)): their rules are not in nf_tables, which BoxLab reads; use iptables-nft"]
                .compactMap { $0 }.joined(separator: "; ")
        }
        return result
    }

    private static func protocolName(_ transport: UInt8) -> String { transport == 17 ? "udp" : "tcp" }

    private func checkMasquerade(_ from: IPPrefix, out: NFTRuleMeaning.Test<String>?, _ rules: [NFTRule]) -> CheckResult {
        let masquerades = rules.filter { $0.meaning.action == .masquerade }
        func sameSource(_ rule: NFTRule) -> Bool { rule.meaning.source.map { !$0.negated && $0.value == from } ?? false }
        if masquerades.contains(where: { sameSource($0) && (out == nil || $0.meaning.output == out) }) {
            return CheckResult(passed: true, summary: "")
        }
        let why = "packets from \(from) leave with their private source address, and replies to it cannot find their way back (the outside has no route to \(from))"
        if let other = masquerades.first(where: sameSource) {
            let wanted = out.map { "\($0.negated ? "!" : "")\($0.value)" } ?? "any"
            let has = other.meaning.output.map { "\($0.negated ? "!" : "")\($0.value)" } ?? "any interface"
            return CheckResult(passed: false, summary: "", found: "masquerade for \(from) out \(has): \(other.iptablesForm)",
                               cause: "the out-interface differs: \(has), not \(wanted)")
        }
        if let other = masquerades.first {
            let source = other.meaning.source.map { "\($0.negated ? "everything but " : "")\($0.value)" } ?? "every source"
            return CheckResult(passed: false, summary: "", found: "masquerade for \(source) (\(other.iptablesForm), chain \(other.chain) of table \(other.table))",
                               cause: "the prefix differs: \(source), not \(from); \(why)")
        }
        return CheckResult(passed: false, summary: "", found: "no masquerade for \(from)\(rules.isEmpty ? "; there are no rules at all" : "")",
                           cause: "\(why): iptables -t nat -A POSTROUTING -s \(from) ! -o docker0 -j MASQUERADE")
    }

    private func checkDNAT(_ transport: UInt8, _ port: UInt16, to address: IPAddress, _ toPort: UInt16?, _ rules: [NFTRule]) -> CheckResult {
        let name = Self.protocolName(transport)
        let translations = rules.compactMap { rule -> (NFTRule, IPAddress?, UInt16)? in
            guard case .dnat(let target, let targetPort)? = rule.meaning.action, rule.meaning.transport == transport,
                  rule.meaning.destinationPort == port else { return nil }
            return (rule, target, targetPort ?? port)
        }
        if translations.contains(where: { $0.1 == address && (toPort == nil || $0.2 == toPort) }) {
            return CheckResult(passed: true, summary: "")
        }
        let why = "connections to \(name) port \(port) reach this host itself, where nothing forwards them to \(address)"
        if let (rule, target, targetPort) = translations.first {
            let found = "\(name) \(port) is forwarded to \(target.map(\.description) ?? "?"):\(targetPort) (\(rule.iptablesForm))"
            return CheckResult(passed: false, summary: "", found: found,
                               cause: target == address ? "the destination port differs: \(targetPort), not \(toPort ?? port)" : "the destination address differs: \(target.map(\.description) ?? "?"), not \(address)")
        }
        let others = rules.filter { if case .dnat? = $0.meaning.action { true } else { false } }
        if !others.isEmpty {
            return CheckResult(passed: false, summary: "", found: "no DNAT for \(name) \(port); there is: " + others.map(\.iptablesForm).joined(separator: "; "),
                               cause: "the published port differs; \(why)")
        }
        return CheckResult(passed: false, summary: "", found: "no DNAT for \(name) \(port)",
                           cause: "\(why): iptables -t nat -A PREROUTING -p \(name) --dport \(port) -j DNAT --to-destination \(address):\(toPort ?? port)")
    }

    private func checkPolicy(_ table: String, _ chain: String, _ policy: NFTVerdict, _ chains: [NFTChain]) -> CheckResult {
        guard let found = chains.first(where: { $0.table == table && $0.name == chain }) else {
            // No chain at that hook: nothing filters, which is what accept means.
            if policy == .accept { return CheckResult(passed: true, summary: "") }
            return CheckResult(passed: false, summary: "", found: "there is no chain \(chain) in table \(table): nothing is filtered there",
                               cause: "iptables -P \(chain) \(policy.description.uppercased()) makes it")
        }
        guard let base = found.base else {
            return CheckResult(passed: false, summary: "", found: "\(chain) in table \(table) is a regular chain: it has no policy", cause: "only a built-in (base) chain has one")
        }
        if base.policy == policy { return CheckResult(passed: true, summary: "") }
        let cause = policy == .accept && chain == "FORWARD"
            ? "with policy drop, every packet no rule accepts is dropped: containers' traffic through this host stops (iptables -P FORWARD ACCEPT, or rules that accept it)"
            : "iptables -t \(table) -P \(chain) \(policy.description.uppercased()) sets it"
        return CheckResult(passed: false, summary: "", found: "the policy is \(base.policy)", cause: cause)
    }
}
