import Kernel

/// `ip neigh show [dev LINK]`: the ARP/NDP table — which MAC answered for which address;
/// `ip neigh add|replace ADDRESS lladdr MAC dev LINK [nud permanent]` and `ip neigh del
/// ADDRESS dev LINK`: entries written by hand, as flannel writes the MAC of each remote
/// host's VXLAN device.
enum IpNeighbour {
    static func perform(_ sentence: IprouteWords) throws {
        var sentence = sentence
        switch sentence.next() ?? "show" {
        case "show", "list", "ls": try show(&sentence)
        case let verb where ["add", "replace", "del", "delete"].contains(verb): try change(verb, &sentence)
        case let verb: throw sentence.unexpected(verb, expected: "show, add, replace or del")
        }
    }

    private static func show(_ sentence: inout IprouteWords) throws {
        var device: String?
        while let word = sentence.next() {
            guard word == "dev" else { throw sentence.unexpected(word, expected: "dev LINK") }
            device = try sentence.value(after: "dev")
        }
        let netlink = try sentence.netlink()
        do {
            let view = try NetworkView(netlink, addresses: false)
            for neighbour in try netlink.neighbours(family: .inet) {
                let name = view.name(of: neighbour.index) ?? "if\(neighbour.index)"
                guard device == nil || name == device, !neighbour.state.contains(.noARP) else { continue }
                let mac = neighbour.linkAddress.map { " lladdr \($0)" } ?? ""
                sentence.call.write("\(neighbour.address) dev \(name)\(mac) \(neighbour.state)\n")
            }
        } catch {
            throw sentence.failure("cannot read the neighbour table", error)
        }
    }

    private static func change(_ verb: String, _ sentence: inout IprouteWords) throws {
        let text = try sentence.value(after: verb)
        guard let address = IPAddress(text) else { throw sentence.call.failure("\"\(text)\" is not an address", cause: "e.g. ip neigh \(verb) 172.18.2.0 lladdr 0e:00:00:00:02:00 dev flannel.1") }
        let deleting = verb == "del" || verb == "delete"
        var mac: MACAddress?, device: String?
        while let word = sentence.next() {
            switch word {
            case "lladdr" where !deleting:
                let value = try sentence.value(after: word)
                guard let parsed = MACAddress(value), parsed.bytes.count == 6 else {
                    throw sentence.call.failure("\"\(value)\" is not a MAC address", cause: "write six hex bytes, e.g. 0e:00:00:00:02:00")
                }
                mac = parsed
            case "dev": device = try sentence.value(after: word)
            case "nud" where !deleting:
                let state = try sentence.value(after: word)
                guard state == "permanent" else {
                    throw sentence.call.failure("BoxLab writes permanent neighbours only, not \"\(state)\"", cause: "the kernel resolves the others itself, by ARP: nud permanent")
                }
            default: throw sentence.unexpected(word, expected: deleting ? "dev LINK" : "lladdr MAC, dev LINK or nud permanent")
            }
        }
        guard let device else { throw sentence.call.failure("which link is \(address) on? dev LINK", cause: "e.g. ip neigh \(verb) \(address)\(deleting ? "" : " lladdr MAC") dev flannel.1") }
        if !deleting, mac == nil {
            throw sentence.call.failure("which MAC has \(address)? lladdr MAC", cause: "e.g. ip neigh \(verb) \(address) lladdr 0e:00:00:00:02:00 dev \(device)")
        }
        let netlink = try sentence.netlink()
        do {
            if let mac, !deleting {
                try netlink.addNeighbour(address, linkAddress: mac, device: .name(device), replace: verb == "replace")
            } else {
                try netlink.deleteNeighbour(address, device: .name(device))
            }
        } catch {
            var cause: String?
            if error.errno == .EEXIST { cause = "\(address) has an entry on \(device) already: ip neigh replace overwrites it" }
            if error.errno == .ENOENT, deleting { cause = "\(device) has no entry for \(address): `ip neigh show dev \(device)` lists them" }
            throw sentence.failure("cannot \(deleting ? "delete" : verb) neighbour \(address)", error, cause: cause)
        }
    }
}
