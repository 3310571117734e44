import Kernel

extension Command {
    static let bridge = Command(
        "bridge", usage: "bridge [-n NS] fdb show [br BRIDGE] [dev PORT] | fdb add|append|replace|del MAC dev LINK [dst ADDRESS] [self] [permanent]",
        summary: "the bridge forwarding database: which MAC address was seen on which port, or which host a VXLAN device sends it to",
        options: [.value("n", "netns")], optionsEndAtFirstOperand: true
    ) { call in
        var sentence = IprouteWords(call: call, words: call.operands[...], namespace: call.options.value("netns") ?? call.namespace)
        guard sentence.next() == "fdb" else { throw call.failure("BoxLab's bridge knows fdb", cause: "usage: \(call.command.usage)") }
        switch sentence.next() ?? "show" {
        case "show", "list", "ls": try ForwardingDatabase.show(&sentence)
        case let verb where ForwardingEntryMode(rawValue: verb) != nil || verb == "del" || verb == "delete":
            try ForwardingDatabase.change(verb, &sentence)
        case let verb: throw sentence.unexpected(verb, expected: "show, add, append, replace or del")
        }
    }
}

/// `bridge fdb`: a bridge's table (learned and static entries) and each link's own (its own
/// MACs; on a VXLAN device, the remote host each MAC is tunnelled to).
enum ForwardingDatabase {
    static func show(_ sentence: inout IprouteWords) throws {
        var bridge: String?, port: String?
        while let word = sentence.next() {
            switch word {
            case "br": bridge = try sentence.value(after: "br")
            case "dev": port = try sentence.value(after: "dev")
            default: throw sentence.unexpected(word, expected: "br BRIDGE or dev PORT")
            }
        }
        let netlink = try sentence.netlink()
        do {
            let view = try NetworkView(netlink, addresses: false)
            // The kernel dumps its hash table in MAC order, which is random run to run: sort by port.
            let order = { (entry: BridgeFDBEntry) in
                (view.name(of: entry.port) ?? "", entry.isPermanent ? 1 : 0, entry.master == nil ? 1 : 0, entry.linkAddress.description)
            }
            let entries = try netlink.bridgeFDB().sorted { order($0) < order($1) }
            for entry in entries {
                let portName = view.name(of: entry.port) ?? "if\(entry.port)"
                let masterName = entry.master.flatMap(view.name(of:))
                guard bridge == nil || masterName == bridge || (masterName == nil && portName == bridge),
                      port == nil || portName == port else { continue }
                var words = ["\(entry.linkAddress) dev \(portName)"]
                if let destination = entry.destination { words.append("dst \(destination)") }
                if let vlan = entry.vlan { words.append("vlan \(vlan)") }
                if let masterName { words.append("master \(masterName)") }
                if entry.flags.contains(.own) { words.append("self") }
                if entry.isPermanent { words.append("permanent") }
                sentence.call.write(words.joined(separator: " ") + "\n")
            }
        } catch {
            throw sentence.failure("cannot read the forwarding database", error)
        }
    }

    /// `bridge fdb add|append|replace|del MAC dev LINK [dst ADDRESS] [self] [permanent]`:
    /// entries of the link's own table, permanent, as flannel writes one a remote host.
    static func change(_ verb: String, _ sentence: inout IprouteWords) throws {
        let text = try sentence.value(after: verb)
        guard let mac = MACAddress(text), mac.bytes.count == 6 else {
            throw sentence.call.failure("\"\(text)\" is not a MAC address", cause: "e.g. bridge fdb \(verb) 0e:00:00:00:02:00 dev flannel.1 dst 192.168.32.130")
        }
        var device: String?, destination: IPAddress?
        while let word = sentence.next() {
            switch word {
            case "dev": device = try sentence.value(after: word)
            case "dst":
                let value = try sentence.value(after: word)
                guard let address = IPAddress(value) else { throw sentence.call.failure("\"\(value)\" is not an address", cause: "dst is the remote host's address, e.g. 192.168.32.130") }
                destination = address
            case "self", "permanent": continue
            case "master", "static", "dynamic":
                throw sentence.call.failure("BoxLab writes permanent entries of a link's own table (self permanent), not \"\(word)\"", cause: "a bridge learns the others from the frames it forwards")
            default: throw sentence.unexpected(word, expected: "dev LINK, dst ADDRESS, self or permanent")
            }
        }
        guard let device else { throw sentence.call.failure("whose table? dev LINK", cause: "e.g. bridge fdb \(verb) \(mac) dev flannel.1 dst 192.168.32.130") }
        let netlink = try sentence.netlink()
        let deleting = verb == "del" || verb == "delete"
        do {
            if deleting {
                try netlink.deleteForwardingEntry(mac, device: .name(device), destination: destination)
            } else {
                try netlink.addForwardingEntry(mac, device: .name(device), destination: destination, mode: ForwardingEntryMode(rawValue: verb) ?? .add)
            }
        } catch {
            var cause: String?
            if error.errno == .EEXIST { cause = "\(device) has an entry for \(mac) already: bridge fdb replace overwrites it" }
            if error.errno == .ENOENT, deleting { cause = "\(device) has no such entry: `bridge fdb show dev \(device)` lists them" }
            if error.errno == .EINVAL, destination != nil, error.detail == nil { cause = "only a VXLAN device sends frames to a remote host (dst)" }
            throw sentence.failure("cannot \(deleting ? "delete" : verb) the entry for \(mac)", error, cause: cause)
        }
    }
}
