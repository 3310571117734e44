import Kernel

extension Command {
    static let iptables = Command(
        "iptables",
        usage: "iptables [-t filter|nat] -A|-I|-D|-P|-N|-X|-F|-L|-S [CHAIN] [RULE]",
        summary: "firewall and NAT rules, sent to nf_tables as iptables-nft sends them (same messages, same bytes)",
        rawArguments: true
    ) { call in
        var iptables = Iptables(call: call)
        try iptables.perform()
    }
}

/// `iptables`, as iptables-nft 1.8.9 does it: a rule is read into its meaning
/// (`NFTRuleMeaning`) and sent as the expressions iptables-nft makes of it, the table and a
/// built-in chain are made the first time they are used, and a listing reads every rule of
/// the table back, whoever made it (nft, iptables-nft, BoxLab).
struct Iptables {
    let call: Invocation
    var table = "filter"
    var verb: String?
    var chain: String?
    /// `-I CHAIN N`, `-D CHAIN N`.
    var number: Int?
    var policy: NFTVerdict?
    var meaning = NFTRuleMeaning()
    /// `-L --line-numbers`: each rule's number, for `-D CHAIN N` and `-I CHAIN N`.
    var lineNumbers = false

    init(call: Invocation) {
        self.call = call
    }

    static let verbs: [String: String] = [
        "-A": "append", "--append": "append", "-I": "insert", "--insert": "insert", "-D": "delete", "--delete": "delete",
        "-P": "policy", "--policy": "policy", "-N": "new-chain", "--new-chain": "new-chain", "-X": "delete-chain",
        "--delete-chain": "delete-chain", "-F": "flush", "--flush": "flush", "-L": "list", "--list": "list", "-S": "list-rules",
        "--list-rules": "list-rules",
    ]

    mutating func perform() throws {
        try parse(call.operands[...])
        guard let verb else { throw call.failure("no command given", cause: "one of -A, -I, -D, -P, -N, -X, -F, -L, -S; usage: \(call.command.usage)") }
        guard NFTChain.iptablesTables.contains(table) else { throw call.failure("table \"\(table)\" is not one BoxLab knows", cause: "use -t filter or -t nat") }
        switch verb {
        case "list", "list-rules": try list(rules: verb == "list-rules")
        case "append", "insert", "delete": try change(verb)
        case "policy":
            guard let chain = try requireChain(), let policy else { throw call.failure("-P needs a chain and a policy", cause: "e.g. iptables -P FORWARD DROP") }
            guard var builtin = NFTChain.iptablesBuiltin(table: table, chain: chain) else {
                throw call.failure("-P \(chain): only a built-in chain has a policy", cause: "the \(table) table's are \(builtins.joined(separator: ", "))")
            }
            builtin.base?.policy = policy
            let state = try read()
            try commit(state.creating(table: table, chain: chain) + [.iptablesPolicy(builtin)], "cannot set the policy of \(chain)")
        case "new-chain":
            guard let chain = try requireChain() else { throw call.failure("-N needs a chain name") }
            guard NFTChain.iptablesBuiltin(table: table, chain: chain) == nil else { throw call.failure("\(chain) is a built-in chain of \(table)", cause: "pick another name") }
            let state = try read()
            if state.chains.contains(where: { $0.name == chain }) { throw call.failure("chain \(chain) already exists in table \(table)") }
            try commit((state.tables.contains(table) ? [] : [.iptablesTable(table)]) + [.iptablesChain(NFTChain(table: table, name: chain))], "cannot make chain \(chain)")
        case "delete-chain":
            guard let chain = try requireChain() else { throw call.failure("-X needs a chain name", cause: "BoxLab deletes one chain at a time") }
            try commit([.deleteChain(.ip, table: table, chain)], "cannot delete chain \(chain)")
        case "flush":
            let state = try read()
            let chains = chain.map { [$0] } ?? state.chains.map(\.name)
            if let chain, !state.chains.contains(where: { $0.name == chain }) { throw missing(chain) }
            guard !chains.isEmpty else { return }
            try commit(chains.map { .deleteRule(.ip, table: table, chain: $0, handle: nil) }, "cannot flush \(chain ?? table)")
        default: break
        }
    }

    var builtins: [String] {
        table == "nat" ? ["PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"] : ["INPUT", "FORWARD", "OUTPUT"]
    }

    // MARK: Reading the command line

    private mutating func parse(_ words: ArraySlice<String>) throws {
        var words = words
        var negated = false
        func value(_ option: String) throws -> String {
            guard let value = words.popFirst() else { throw call.failure("option \(option) needs a value") }
            return value
        }
        func take<V>(_ option: String, _ read: (String) -> V?, _ example: String) throws -> NFTRuleMeaning.Test<V> {
            let text = try value(option)
            guard let parsed = read(text) else { throw call.failure("\(option) \(text): not a valid value", cause: "e.g. \(option) \(example)") }
            defer { negated = false }
            return NFTRuleMeaning.Test(parsed, negated: negated)
        }
        var protocolName: String?
        while let word = words.popFirst() {
            if let verb = Self.verbs[word] {
                guard self.verb == nil else { throw call.failure("only one command at a time", cause: "\(word) after another command") }
                self.verb = verb
                if let next = words.first, !next.hasPrefix("-") { chain = words.popFirst() }
                if let next = words.first, let number = Int(next), verb == "insert" || verb == "delete" {
                    guard number > 0 else { throw call.failure("rule number \(number): rules are counted from 1") }
                    self.number = number
                    words.removeFirst()
                }
                if verb == "policy" {
                    let text = try value("-P")
                    switch text.uppercased() {
                    case "ACCEPT": policy = .accept
                    case "DROP": policy = .drop
                    default: throw call.failure("policy \(text): a chain's policy is ACCEPT or DROP")
                    }
                }
                continue
            }
            switch word {
            case "!": negated = true
            case "-t", "--table": table = try value(word)
            // BoxLab's listings are always numeric and never resolve names.
            case "-n", "--numeric", "-v", "--verbose": continue
            case "--line-numbers": lineNumbers = true
            case "-s", "--source": meaning.source = try take(word, Self.prefix, "172.17.0.0/16")
            case "-d", "--destination": meaning.destination = try take(word, Self.prefix, "10.0.0.1")
            case "-i", "--in-interface": meaning.input = try take(word, Self.interface, "docker0")
            case "-o", "--out-interface": meaning.output = try take(word, Self.interface, "eth0")
            case "-p", "--protocol":
                let name = try value(word)
                guard !negated else { throw call.failure("! -p is not one BoxLab knows", cause: "match the protocols you want instead") }
                switch name {
                case "tcp", "6": meaning.transport = 6
                case "udp", "17": meaning.transport = 17
                case "all": meaning.transport = nil
                default: throw call.failure("-p \(name): BoxLab's iptables knows tcp, udp and all")
                }
                protocolName = name
            case "--dport", "--destination-port":
                let text = try value(word)
                guard meaning.transport != nil else { throw call.failure("\(word) needs a protocol first", cause: "write -p tcp \(word) \(text)") }
                guard !negated, let port = UInt16(text), port > 0 else { throw call.failure("\(word) \(text): a port is a number from 1 to 65535") }
                meaning.destinationPort = port
            case "-m", "--match":
                let module = try value(word)
                guard ["conntrack", "state", "tcp", "udp"].contains(module) else { throw call.failure("-m \(module): BoxLab's iptables knows -m conntrack (and the implicit -m tcp, -m udp)") }
                if module == "tcp" || module == "udp", protocolName == nil { throw call.failure("-m \(module) needs -p \(module) before it") }
            case "--ctstate", "--state":
                let text = try value(word)
                var bits: UInt16 = 0
                for name in text.split(separator: ",") {
                    guard let state = XTMatch.stateNames.first(where: { $0.name == name.uppercased() }) else {
                        throw call.failure("\(word) \(name): not a state", cause: "NEW, ESTABLISHED, RELATED, INVALID or UNTRACKED")
                    }
                    bits |= state.bits
                }
                meaning.states = NFTRuleMeaning.Test(bits, negated: negated)
                negated = false
            case "-j", "--jump", "-g", "--goto":
                let target = try value(word)
                switch target {
                case "ACCEPT": meaning.action = .verdict(.accept)
                case "DROP": meaning.action = .verdict(.drop)
                case "RETURN": meaning.action = .verdict(.return)
                case "MASQUERADE": meaning.action = .masquerade
                case "DNAT": meaning.action = .dnat(nil, port: nil)
                default:
                    // Any other name is a chain of the table (checked before the rule is sent).
                    guard !["REJECT", "LOG", "SNAT", "MARK", "TCPMSS", "NOTRACK", "CT", "REDIRECT"].contains(target) else {
                        throw call.failure("-j \(target): BoxLab's iptables knows ACCEPT, DROP, RETURN, MASQUERADE, DNAT and user chains")
                    }
                    meaning.action = .verdict(word.contains("g") ? .goto(target) : .jump(target))
                }
            case "--to-destination":
                let text = try value(word)
                guard case .dnat? = meaning.action else { throw call.failure("--to-destination belongs to -j DNAT") }
                let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
                guard let address = parts.first.flatMap(IPAddress.init), address.family == .inet,
                      parts.count == 1 || UInt16(parts[1]).map({ $0 > 0 }) == true else {
                    throw call.failure("--to-destination \(text): not ADDRESS[:PORT]", cause: "e.g. --to-destination 172.17.0.2:80")
                }
                meaning.action = .dnat(address, port: parts.count == 2 ? UInt16(parts[1]) : nil)
            default:
                throw call.failure("option \(word) is not one BoxLab's iptables knows",
                                   cause: "it knows -t, -A, -I, -D, -P, -N, -X, -F, -L [-n] [--line-numbers], -S, -s, -d, -i, -o, -p, --dport, -m conntrack --ctstate, -j, -g, --to-destination")
            }
        }
        if negated { throw call.failure("\"!\" must come before the option it negates", cause: "e.g. ! -o docker0") }
        if case .dnat(nil, _)? = meaning.action { throw call.failure("-j DNAT needs --to-destination ADDRESS[:PORT]") }
        if case .dnat(_, let port?)? = meaning.action, port > 0, meaning.transport == nil {
            throw call.failure("-j DNAT --to-destination with a port needs a protocol", cause: "add -p tcp (or udp)")
        }
    }

    static func prefix(_ text: String) -> IPPrefix? {
        guard let prefix = IPPrefix(text.contains("/") ? text : text + "/32"), prefix.family == .inet else { return nil }
        return prefix
    }

    static func interface(_ text: String) -> String? {
        text.isEmpty || text.utf8.count > 15 || text.contains("/") || text.contains(" ") ? nil : text
    }

    private func requireChain() throws -> String? {
        guard let chain else { return nil }
        guard !chain.isEmpty, chain.utf8.count <= 28 else { throw call.failure("chain name \"\(chain)\" is empty or longer than 28 bytes") }
        return chain
    }

    // MARK: Changing rules

    /// The table's tables and chains as iptables-nft reads them before it changes anything.
    struct State {
        var tables: [String]
        var chains: [NFTChain]

        /// NEWTABLE and NEWCHAIN for what a rule in `chain` needs and is not there yet.
        func creating(table: String, chain: String) -> [NetlinkMessage] {
            var messages: [NetlinkMessage] = []
            if !tables.contains(table) { messages.append(.iptablesTable(table)) }
            if !chains.contains(where: { $0.name == chain }), let builtin = NFTChain.iptablesBuiltin(table: table, chain: chain) {
                messages.append(.iptablesChain(builtin))
            }
            return messages
        }
    }

    private func client() throws -> NFTables {
        do { return try call.workbench.places.nfTables(call.namespace) } catch {
            throw call.failure("cannot open network namespace \"\(call.namespace)\"", error, cause: "there is no namespace \(call.namespace): `ip netns list` shows them")
        }
    }

    /// What is in the table, read without tracing (the command's trace is the batch it sends),
    /// on a socket opened and closed here.
    private func read() throws -> State {
        try untracedRead { nft throws(KernelError) in
            let tables = try nft.tables(family: .ip).map(\.name)
            return State(tables: tables, chains: tables.contains(table) ? try nft.chains(family: .ip, table: table) : [])
        }
    }

    private func untracedRead<R>(_ body: (NFTables) throws(KernelError) -> R) throws -> R {
        let outcome: Result<R, KernelError> = Trace.untraced {
            do throws(KernelError) { return .success(try body(try call.workbench.places.nfTables(call.namespace))) } catch { return .failure(error) }
        }
        switch outcome {
        case .success(let value): return value
        case .failure(let error) where error.call.hasPrefix("NFT_MSG") || error.call == "recvmsg":
            throw call.failure("cannot read table \(table)", error, cause: error.detail)
        case .failure(let error):
            throw call.failure("cannot open network namespace \"\(call.namespace)\"", error, cause: "there is no namespace \(call.namespace): `ip netns list` shows them")
        }
    }

    private func missing(_ chain: String) -> CommandError {
        call.failure("there is no chain \(chain) in table \(table)", cause: "make it with iptables -t \(table) -N \(chain)")
    }

    private func change(_ verb: String) throws {
        guard let chain = try requireChain() else { throw call.failure("-\(verb.prefix(1).uppercased()) needs a chain", cause: "usage: \(call.command.usage)") }
        let state = try read()
        let builtin = NFTChain.iptablesBuiltin(table: table, chain: chain)
        guard builtin != nil || state.chains.contains(where: { $0.name == chain }) else { throw missing(chain) }
        if let target = meaning.action.flatMap({ if case .verdict(let verdict) = $0 { verdict.chain } else { nil } }),
           !state.chains.contains(where: { $0.name == target }) {
            throw missing(target)
        }
        switch meaning.action {
        case .masquerade?, .dnat?:
            let target = meaning.action == .masquerade ? "MASQUERADE" : "DNAT"
            guard table == "nat" else { throw call.failure("-j \(target) works only in the nat table", cause: "add -t nat") }
            let allowed = meaning.action == .masquerade ? ["POSTROUTING"] : ["PREROUTING", "OUTPUT"]
            if builtin != nil, !allowed.contains(chain) {
                throw call.failure("-j \(target) cannot be used in \(chain)",
                                   cause: "it works in \(allowed.joined(separator: " or ")) (or a chain they jump to)")
            }
        default: break
        }
        if verb == "delete" { return try delete(chain) }
        var rule = NFTRule(iptables: table, chain: chain, meaning)
        var messages = state.creating(table: table, chain: chain)
        if verb == "insert", let number, number > 1 {
            let rules = try existingRules(chain)
            guard number <= rules.count + 1 else { throw call.failure("-I \(chain) \(number): the chain has \(rules.count) rules", cause: "rules are counted from 1") }
            if number <= rules.count { rule.position = rules[number - 1].handle } else { return try commit(messages + [.newRule(rule)], "cannot add the rule") }
        }
        messages.append(.newRule(rule, atStart: verb == "insert"))
        try commit(messages, "cannot add the rule")
    }

    private func existingRules(_ chain: String) throws -> [NFTRule] {
        try untracedRead { nft throws(KernelError) in try nft.rules(family: .ip, table: table, chain: chain) }
    }

    /// `-D CHAIN N` or `-D CHAIN RULE`: the first rule that means the same, by its handle.
    private func delete(_ chain: String) throws {
        let rules = try existingRules(chain)
        let rule: NFTRule?
        if let number {
            guard number <= rules.count else { throw call.failure("-D \(chain) \(number): the chain has \(rules.count) rules") }
            rule = rules[number - 1]
        } else {
            let wanted = NFTRule(iptables: table, chain: chain, meaning).meaning
            // A counter changes nothing a packet meets: nft's rules without one match too.
            rule = rules.first { existing in
                var meaning = existing.meaning
                meaning.counts = wanted.counts
                return meaning == wanted
            }
        }
        guard let rule, rule.handle != nil else {
            throw call.failure("no rule in \(chain) matches \((["-A", chain] + meaning.iptablesArguments).joined(separator: " "))", cause: "`iptables -t \(table) -S \(chain)` lists them")
        }
        try commit([.iptablesDeleteRule(rule)], "cannot delete the rule")
    }

    private func commit(_ messages: [NetlinkMessage], _ doing: String) throws {
        try call.commitNetfilter(messages, doing)
    }

    // MARK: Listing

    private func list(rules asRules: Bool) throws {
        let nft = try client()
        var chains: [NFTChain] = [], rules: [NFTRule] = []
        do {
            chains = try nft.chains(family: .ip, table: table)
            rules = try nft.rules(family: .ip, table: table)
        } catch where error.errno == .ENOENT {
            // No table yet: iptables-nft shows the built-in chains as they would be made.
        } catch {
            throw call.failure("cannot read table \(table)", error, cause: error.detail)
        }
        let listed = IptablesListing(table: table, chains: chains, rules: rules, only: chain)
        if let chain, !listed.chains.contains(where: { $0.name == chain }) { throw missing(chain) }
        var text = asRules ? listed.rulesText : listed.tableText(lineNumbers: lineNumbers)
        if let legacy = call.workbench.places.iptablesLegacyTables(in: call.namespace) { text += "# Warning: iptables-legacy tables present (\(legacy)): BoxLab does not read them\n" }
        call.write(text)
    }
}
