import Kernel

/// What happens to a connection on its way (issue 14's behaviour expectations):
///
///     seen-from ADDRESS:PORT from NS == SOURCE
///         a server at ADDRESS:PORT sees a connection from NS coming from SOURCE (masquerade
///         rewrote the source, or nothing did and SOURCE is NS's own address)
///     conntrack tcp|udp ADDRESS:PORT from NS translated to ADDRESS2[:PORT2] [in NS2]
///         NS2's connection tracking table (the session's own namespace by default) holds a
///         flow from NS to ADDRESS:PORT whose reply tuple shows the rewrite: SNAT to
///         ADDRESS2 (masquerade) or DNAT to ADDRESS2:PORT2 (a published port)
public enum FlowExpectation: Sendable, Equatable {
    case seenFrom(address: String, port: UInt16, from: String, source: String)
    case translated(protocolName: String, address: String, port: UInt16, from: String, to: String, toPort: UInt16?, namespace: String)

    static let forms = [
        "seen-from ADDRESS:PORT from NS == SOURCE",
        "conntrack tcp|udp ADDRESS:PORT from NS translated to ADDRESS[:PORT] [in NS]",
    ]

    var subject: String {
        switch self {
        case .seenFrom(let address, let port, let from, _): "seen-from \(from)->\(address):\(port)"
        case .translated(let name, let address, let port, let from, _, _, let namespace): "conntrack \(namespace):\(name) \(from)->\(address):\(port)"
        }
    }

    static func parse(_ keyword: String, _ words: [String]) throws(ExpectationError) -> Expectation {
        let form = forms.first { $0.hasPrefix(keyword + " ") }
        func fail(_ message: String) -> ExpectationError { ExpectationError(message: message, form: form) }
        var words = words
        var protocolName = "tcp"
        if keyword == "conntrack" {
            guard let name = words.first, ["tcp", "udp"].contains(name) else { throw fail("conntrack expectations name the protocol first: tcp or udp") }
            protocolName = name
            words.removeFirst()
        }
        guard let subject = words.first, let (address, found) = end(subject), let port = found else {
            throw fail("'\(words.first ?? "")' is not ADDRESS:PORT")
        }
        guard words.count >= 3, words[1] == "from" else { throw fail("after \(subject), expected from NS (or from host)") }
        let from = words[2]
        let rest = Array(words.dropFirst(3))
        if keyword == "seen-from" {
            guard rest.count == 2, rest[0] == "==", let source = IPAddress(rest[1]) else { throw fail("after from \(from), expected == SOURCE (an address)") }
            return .flow(.seenFrom(address: address, port: port, from: from, source: source.description))
        }
        guard rest.count == 3 || (rest.count == 5 && rest[3] == "in"), rest[0] == "translated", rest[1] == "to",
              let (to, toPort) = end(rest[2]) else {
            throw fail("after from \(from), expected translated to ADDRESS[:PORT] [in NS]")
        }
        return .flow(.translated(protocolName: protocolName, address: address, port: port, from: from,
                                 to: to, toPort: toPort, namespace: rest.count == 5 ? rest[4] : NetworkPlaces.host))
    }

    /// `203.0.113.1:80` → (address, 80); `203.0.113.1` → (address, nil). IPv4 only, as the probes are.
    private static func end(_ text: String) -> (String, UInt16?)? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard let address = IPAddress(parts[0]), address.family == .inet, parts.count <= 2 else { return nil }
        if parts.count == 1 { return (address.description, nil) }
        guard let port = UInt16(parts[1]), port > 0 else { return nil }
        return (address.description, port)
    }
}
