import Kernel

/// What a NAT rule does, in a few words for the `show net` picture: `masquerade
/// 172.17.0.0/16 → out !docker0`, `dnat tcp :8080 → 172.17.0.2:80`. Read through the rule's
/// meaning (`NFTRuleMeaning`), so nft's native NAT and iptables-nft's xtables targets read
/// alike. Other rules have no summary.
struct NATSummary {
    let text: String

    init?(_ rule: NFTRule) {
        let meaning = NFTRuleMeaning(rule)
        func test<Value>(_ test: NFTRuleMeaning.Test<Value>?, _ text: (Value) -> String) -> String? {
            test.map { ($0.negated ? "!" : "") + text($0.value) }
        }
        let source = test(meaning.source) { $0.description }
        let output = test(meaning.output) { $0 }
        let words: [String?]
        switch meaning.action {
        case .masquerade?:
            words = ["masquerade", source, output.map { "→ out \($0)" }]
        case .snat(let address, let port)?:
            words = ["snat", source, "→ " + Self.place(address, port), output.map { "(out \($0))" }]
        case .dnat(let address, let port)?:
            let protocolName = meaning.transport.map { [6: "tcp", 17: "udp", 1: "icmp"][$0] ?? String($0) }
            let matched = meaning.destinationPort.map { ":\($0)" }
            let destination = test(meaning.destination) { $0.description }.map { $0 + (matched ?? "") } ?? matched
            words = ["dnat", protocolName, destination, "→ " + Self.place(address, port), test(meaning.input) { $0 }.map { "(in \($0))" }]
        default:
            return nil
        }
        text = words.compactMap { $0 }.joined(separator: " ")
    }

    private static func place(_ address: IPAddress?, _ port: UInt16?) -> String {
        (address?.description ?? "") + (port.map { ":\($0)" } ?? "")
    }
}
