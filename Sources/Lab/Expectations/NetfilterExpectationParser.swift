import Kernel

/// The firewall and NAT forms of the expectation language (see `NetfilterExpectation`).
enum NetfilterExpectationParser {
    static func parse(_ keyword: String, _ words: [String]) throws(ExpectationError) -> Expectation {
        let form = ExpectationParser.forms.first { $0.hasPrefix(keyword + " " + (words.first ?? "")) } ?? ExpectationParser.forms.first { $0.hasPrefix(keyword + " ") }
        func fail(_ message: String) -> ExpectationError { ExpectationError(message: message, form: form) }
        var words = words
        var namespace = NetworkPlaces.host
        if let index = words.lastIndex(of: "in") {
            guard index + 1 < words.count else { throw fail("'in' needs a namespace name") }
            namespace = words[index + 1]
            words.removeSubrange(index...(index + 1))
        }
        let rule: NetfilterExpectation.Rule
        switch (keyword, words.first) {
        case ("nat", "masquerade"):
            guard words.count >= 3, words[1] == "from", let prefix = IPPrefix(words[2]), prefix.family == .inet, words[2].contains("/") else {
                throw fail("expected nat masquerade from ADDRESS/PREFIX, e.g. from 172.17.0.0/16")
            }
            var out: NFTRuleMeaning.Test<String>?
            if words.count > 3 {
                guard words.count == 5, words[3] == "out", !words[4].isEmpty, words[4] != "!" else { throw fail("after the prefix, expected out [!]INTERFACE") }
                out = words[4].hasPrefix("!") ? .init(String(words[4].dropFirst()), negated: true) : .init(words[4])
            }
            rule = .masquerade(from: prefix, out: out)
        case ("nat", "dnat"):
            guard words.count == 5, words[3] == "to" else { throw fail("expected nat dnat tcp|udp PORT to ADDRESS[:PORT]") }
            guard let transport: UInt8 = ["tcp": 6, "udp": 17][words[1]] else { throw fail("'\(words[1])' is not tcp or udp") }
            guard let port = UInt16(words[2]), port > 0 else { throw fail("'\(words[2])' is not a port (1-65535)") }
            let parts = words[4].split(separator: ":", maxSplits: 1).map(String.init)
            guard let address = parts.first.flatMap(IPAddress.init), address.family == .inet,
                  parts.count == 1 || UInt16(parts[1]).map({ $0 > 0 }) == true else { throw fail("'\(words[4])' is not ADDRESS[:PORT]") }
            rule = .dnat(transport: transport, port: port, to: address, toPort: parts.count == 2 ? UInt16(parts[1]) : nil)
        case ("chain", _):
            guard words.count == 4, words[2] == "policy" else { throw fail("expected chain TABLE CHAIN policy accept|drop") }
            let policy: NFTVerdict
            switch words[3].lowercased() {
            case "accept": policy = .accept
            case "drop": policy = .drop
            default: throw fail("'\(words[3])' is not a policy: accept or drop")
            }
            rule = .policy(table: words[0], chain: words[1], policy)
        default:
            throw fail("nat takes masquerade or dnat")
        }
        return .netfilter(NetfilterExpectation(rule: rule, namespace: namespace))
    }
}
