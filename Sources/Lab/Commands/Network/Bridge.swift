import Kernel

extension Command {
    static let bridge = Command(
        "bridge", usage: "bridge fdb show [br BRIDGE] [dev PORT]",
        summary: "the bridge forwarding database: which MAC address was seen on which port",
        options: [.value("n", "netns")], optionsEndAtFirstOperand: true
    ) { call in
        var sentence = IpSentence(call: call, words: call.operands[...], namespace: call.options.value("netns") ?? call.namespace)
        guard sentence.next() == "fdb" else { throw call.failure("BoxLab's bridge knows fdb show", cause: "usage: \(call.command.usage)") }
        var bridge: String?, port: String?
        if let verb = sentence.next(), verb != "show" { throw sentence.unexpected(verb, expected: "show") }
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
                if let vlan = entry.vlan { words.append("vlan \(vlan)") }
                if let masterName { words.append("master \(masterName)") }
                if entry.flags.contains(.own) { words.append("self") }
                if entry.isPermanent { words.append("permanent") }
                call.write(words.joined(separator: " ") + "\n")
            }
        } catch {
            throw sentence.failure("cannot read the forwarding database", error)
        }
    }
}
