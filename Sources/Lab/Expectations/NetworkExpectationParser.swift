import Kernel

/// The network forms of the expectation language (see `Expectation`).
enum NetworkExpectationParser {
    static func parse(_ keyword: String, _ words: [String]) throws(ExpectationError) -> Expectation {
        let form = ExpectationParser.forms.first { $0.hasPrefix(keyword + " ") }
        func fail(_ message: String) -> ExpectationError { ExpectationError(message: message, form: form) }
        var words = words
        // "in NS" may stand anywhere after the subject.
        var namespace = "host"
        if let index = words.firstIndex(of: "in") {
            guard index + 1 < words.count else { throw fail("'in' needs a namespace name") }
            namespace = words[index + 1]
            words.removeSubrange(index...(index + 1))
        }
        if keyword == "sysctl" {
            guard words.count == 3, words[1] == "==", KernelParameter.path(of: words[0]) != nil else {
                throw fail("expected sysctl NAME == VALUE, e.g. sysctl net.ipv4.ip_forward == 1")
            }
            return .sysctl(name: words[0], value: words[2], namespace: namespace)
        }
        if keyword == "same-netns" {
            guard words.count == 2 else { throw fail("same-netns takes two: namespace names, host, or pids") }
            return .sameNetworkNamespace(words[0], words[1])
        }
        if keyword == "same-mac" {
            guard words.count == 2 else { throw fail("same-mac takes two links: [NS:]LINK [NS:]LINK") }
            let (first, second) = (qualified(words[0], default: namespace), qualified(words[1], default: namespace))
            return .sameMAC(LinkName(namespace: first.0, name: first.1), LinkName(namespace: second.0, name: second.1))
        }
        guard let subject = words.first else { throw fail("\(keyword) needs a name") }
        let rest = Array(words.dropFirst())
        switch keyword {
        case "netns":
            guard rest.isEmpty else { throw fail("netns takes one name") }
            return .netns(name: subject)
        case "link":
            return .link(try link(subject, namespace: namespace, rest, fail))
        case "address":
            guard IPPrefix(subject) != nil, subject.contains("/") else { throw fail("'\(subject)' is not ADDRESS/PREFIX, e.g. 10.0.0.1/24") }
            guard rest.count == 2, rest[0] == "on" else { throw fail("after the address, expected on LINK") }
            return .address(prefix: subject, link: rest[1], namespace: namespace)
        case "route":
            guard subject == "default" || IPPrefix(subject) != nil else { throw fail("'\(subject)' is not a destination: default or ADDRESS/PREFIX") }
            var via: String?, device: String?, onlink = false
            var index = 0
            while index < rest.count {
                if rest[index] == "onlink" { onlink = true; index += 1; continue }
                guard index + 1 < rest.count else { throw fail("'\(rest[index])' needs a value") }
                switch rest[index] {
                case "via":
                    guard IPAddress(rest[index + 1]) != nil else { throw fail("'\(rest[index + 1])' is not an address") }
                    via = rest[index + 1]
                case "dev": device = rest[index + 1]
                default: throw fail("unexpected '\(rest[index])'")
                }
                index += 2
            }
            if onlink, via == nil || device == nil { throw fail("onlink needs via GATEWAY and dev LINK") }
            return .route(destination: subject, via: via, device: device, onlink: onlink, namespace: namespace)
        case "fdb":
            guard rest.count == 4, rest[0] == "has", rest[2] == "on" || rest[2] == "dst" else {
                throw fail("expected fdb BRIDGE has MAC|[NS:]LINK on PORT, or fdb DEVICE has MAC|[NS:]LINK dst ADDRESS")
            }
            let place: ForwardingExpectation.Place
            if rest[2] == "on" { place = .port(rest[3]) } else {
                guard let address = IPAddress(rest[3]) else { throw fail("'\(rest[3])' is not an address") }
                place = .destination(address)
            }
            return .fdb(ForwardingExpectation(device: subject, entry: MACReference(rest[1], namespace: namespace), place: place, namespace: namespace))
        case "neigh":
            guard IPAddress(subject) != nil else { throw fail("'\(subject)' is not an address") }
            guard rest.count == 4, rest[0] == "lladdr", rest[2] == "dev" else { throw fail("after the address, expected lladdr MAC|[NS:]LINK dev LINK") }
            return .neighbour(address: subject, linkAddress: MACReference(rest[1], namespace: namespace), device: rest[3], namespace: namespace)
        case "reach":
            guard IPAddress(subject) != nil else { throw fail("'\(subject)' is not an address") }
            guard rest.count == 2, rest[0] == "from" else { throw fail("after the address, expected from NS (or from host)") }
            return .reach(address: subject, from: rest[1])
        default:
            let parts = subject.split(separator: ":")
            guard parts.count == 2, IPAddress(String(parts[0])) != nil, let port = UInt16(parts[1]) else {
                throw fail("'\(subject)' is not ADDRESS:PORT")
            }
            guard rest.count == 2, rest[0] == "from" else { throw fail("after the address, expected from NS (or from host)") }
            return .connect(address: String(parts[0]), port: port, from: rest[1])
        }
    }

    private static func link(_ name: String, namespace: String, _ words: [String], _ fail: (String) -> ExpectationError) throws(ExpectationError) -> LinkExpectation {
        var expectation = LinkExpectation(name: name, namespace: namespace)
        for word in words {
            if word == "up" || word == "down" { expectation.up = word == "up"; continue }
            let parts = word.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw fail("'\(word)' is not KEY=VALUE, up or down") }
            switch parts[0] {
            case "kind": expectation.kind = parts[1]
            case "master": expectation.master = parts[1]
            case "mtu":
                guard let mtu = Int(parts[1]) else { throw fail("mtu is a number, not '\(parts[1])'") }
                expectation.mtu = mtu
            case "peer": expectation.peer = qualified(parts[1], default: namespace)
            case "mode": expectation.mode = parts[1]
            case "parent": expectation.parent = qualified(parts[1], default: namespace)
            case "id", "vni":
                guard let vni = UInt32(parts[1]), vni < 1 << 24 else { throw fail("a VXLAN id is a number below 16777216, not '\(parts[1])'") }
                expectation.vni = vni
            case "dstport":
                guard let port = UInt16(parts[1]) else { throw fail("dstport is a UDP port, not '\(parts[1])'") }
                expectation.dstport = port
            case "local":
                guard IPAddress(parts[1]) != nil else { throw fail("local is an address, not '\(parts[1])'") }
                expectation.local = parts[1]
            case "dev": expectation.device = parts[1]
            default: throw fail("unknown link property '\(parts[0])': kind, master, mtu, peer, mode, parent, id, dstport, local, dev, up or down")
            }
        }
        return expectation
    }

    /// `red:eth0` → (red, eth0); `eth0` → (the default namespace, eth0).
    private static func qualified(_ text: String, default namespace: String) -> (String, String) {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        return parts.count == 2 ? (parts[0], parts[1]) : (namespace, text)
    }
}
