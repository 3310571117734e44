import Kernel

extension Command {
    static let nft = Command(
        "nft",
        usage: "nft add|insert table|chain|rule … | nft delete table|chain … | nft list ruleset|table|chain …",
        summary: "nf_tables tables, chains and rules in nft's own syntax, as nft's messages",
        rawArguments: true
    ) { call in
        var nft = Nft(call: call)
        try nft.perform()
    }
}

/// `nft`, for the subset the lessons use: tables, chains (base chains with their `{ type …
/// hook … priority …; policy …; }`), rules of `ip saddr|daddr`, `iifname|oifname`, `tcp|udp
/// dport`, `ct state`, `counter` and `accept|drop|return|jump|goto|masquerade|dnat to|snat
/// to`, each encoded as nft encodes it (native expressions, no xtables).
struct Nft {
    let call: Invocation
    var words: ArraySlice<String>

    init(call: Invocation) {
        self.call = call
        // `{ type nat hook postrouting priority srcnat; policy accept; }` arrives in any
        // splitting: braces and semicolons are words of their own.
        words = call.operands.flatMap { word in
            word.replacing("{", with: " { ").replacing("}", with: " } ").replacing(";", with: " ; ").split(separator: " ").map(String.init)
        }[...]
    }

    mutating func perform() throws {
        let verb = try next("add, insert, delete or list")
        switch verb {
        case "add", "insert", "delete", "list", "create": break
        default: throw call.failure("\"\(verb)\" is not one BoxLab's nft knows", cause: "add, insert, delete or list")
        }
        let object = try next("table, chain or rule (or ruleset after list)")
        switch (verb, object) {
        case ("list", "ruleset"):
            try done()
            return try list()
        case ("list", "table"):
            let (family, name) = try familyAndName()
            try done()
            return try list(family: family, table: name)
        case ("list", "chain"):
            let (family, name) = try familyAndName()
            let chain = try next("the chain's name")
            try done()
            return try list(family: family, table: name, chain: chain)
        case ("add", "table"), ("create", "table"):
            let (family, name) = try familyAndName()
            try done()
            try commit([.newTable(NFTTable(family: family, name: name))], "cannot add table \(name)")
        case ("delete", "table"):
            let (family, name) = try familyAndName()
            try done()
            try commit([.deleteTable(family, name)], "cannot delete table \(name)")
        case ("add", "chain"), ("create", "chain"):
            let (family, table) = try familyAndName()
            let name = try next("the chain's name")
            let chain = NFTChain(family: family, table: table, name: name, base: try baseChain(table: table))
            try done()
            try commit([.newChain(chain)], "cannot add chain \(name)")
        case ("delete", "chain"):
            let (family, table) = try familyAndName()
            let name = try next("the chain's name")
            try done()
            try commit([.deleteChain(family, table: table, name)], "cannot delete chain \(name)")
        case ("add", "rule"), ("insert", "rule"):
            let (family, table) = try familyAndName()
            let chain = try next("the chain's name")
            let rule = NFTRule(family: family, table: table, chain: chain, expressions: try statements())
            try commit([.newRule(rule, atStart: verb == "insert")], "cannot add the rule")
        default:
            throw call.failure("nft \(verb) \(object) is not one BoxLab knows", cause: "usage: \(call.command.usage)")
        }
    }

    private mutating func next(_ what: String) throws -> String {
        guard let word = words.popFirst() else { throw call.failure("missing \(what)", cause: "usage: \(call.command.usage)") }
        return word
    }

    private func done() throws {
        if let word = words.first { throw call.failure("unexpected \"\(word)\"", cause: "usage: \(call.command.usage)") }
    }

    private static let families: [String: NetfilterFamily] = ["ip": .ip, "inet": .inet, "ip6": .ip6]

    /// `[ip|inet|ip6] NAME`: nft's default family is ip.
    private mutating func familyAndName() throws -> (NetfilterFamily, String) {
        let first = try next("a table name")
        if let family = Self.families[first], let name = words.first, name != "{" {
            words.removeFirst()
            return (family, name)
        }
        return (.ip, first)
    }

    /// `{ type nat hook postrouting priority srcnat ; policy accept ; }`, or nil without braces.
    private mutating func baseChain(table: String) throws -> NFTChain.Base? {
        guard words.first == "{" else { return nil }
        words.removeFirst()
        var type: String?, hook: NFTHook?, priority: Int32?, policy = NFTVerdict.accept
        let hooks: [String: NFTHook] = ["prerouting": .prerouting, "input": .input, "forward": .forward, "output": .output, "postrouting": .postrouting]
        let priorities: [String: Int32] = ["filter": 0, "dstnat": -100, "srcnat": 100, "raw": -300, "mangle": -150, "security": 50]
        while let word = words.popFirst(), word != "}" {
            switch word {
            case ";": continue
            case "type":
                type = try next("the chain's type (filter, nat or route)")
                guard try next("hook") == "hook", let name = words.popFirst(), let found = hooks[name] else {
                    throw call.failure("a base chain needs `type TYPE hook HOOK`", cause: "hooks: prerouting, input, forward, output, postrouting")
                }
                hook = found
            case "priority":
                let text = try next("a priority")
                guard let value = priorities[text] ?? Int32(text) else { throw call.failure("priority \(text): a number or filter, dstnat, srcnat") }
                priority = value
            case "policy":
                switch try next("accept or drop") {
                case "accept": policy = .accept
                case "drop": policy = .drop
                case let other: throw call.failure("policy \(other): a base chain's policy is accept or drop")
                }
            default: throw call.failure("unexpected \"\(word)\" in the chain's braces", cause: "{ type nat hook postrouting priority srcnat; policy accept; }")
            }
        }
        guard let type, let hook else { throw call.failure("a base chain needs `type TYPE hook HOOK priority N`") }
        return NFTChain.Base(hook: hook, priority: priority ?? 0, type: type, policy: policy)
    }

    /// The rule's statements, each as nft encodes it.
    private mutating func statements() throws -> [NFTExpression] {
        var expressions: [NFTExpression] = []
        func negation() -> Bool {
            guard words.first == "!=" else { return false }
            words.removeFirst()
            return true
        }
        while let word = words.popFirst() {
            switch word {
            case "ip":
                let field = try next("saddr or daddr after ip")
                guard field == "saddr" || field == "daddr" else { throw call.failure("ip \(field): BoxLab's nft knows ip saddr and ip daddr") }
                let negated = negation()
                let text = try next("an address")
                guard let prefix = Iptables.prefix(text) else { throw call.failure("ip \(field) \(text): not an IPv4 address or prefix", cause: "e.g. 172.17.0.0/16") }
                expressions += NFTExpression.addressTest(offset: field == "saddr" ? 12 : 16, prefix, negated: negated)
            case "iifname", "oifname":
                let negated = negation()
                let name = try next("an interface name").filter { $0 != "\"" }
                guard Iptables.interface(name) != nil else { throw call.failure("\(word) \(name): not an interface name") }
                // nft compares the whole 16 bytes (IFNAMSIZ) with the NULs; `docker*` only what comes before the star.
                let bytes = name.hasSuffix("*") ? Array(name.dropLast().utf8) : Array(name.utf8) + [UInt8](repeating: 0, count: 16 - name.utf8.count)
                expressions += [.meta(word == "iifname" ? .inputInterfaceName : .outputInterfaceName, into: .r1), .compare(negated ? .notEqual : .equal, .r1, bytes)]
            case "tcp", "udp":
                guard try next("dport") == "dport" else { throw call.failure("\(word): BoxLab's nft knows \(word) dport N") }
                let text = try next("a port")
                guard let port = UInt16(text), port > 0 else { throw call.failure("\(word) dport \(text): a port is a number from 1 to 65535") }
                expressions += [
                    .meta(.l4Protocol, into: .r1), .compare(.equal, .r1, [word == "tcp" ? 6 : 17]),
                    .payload(base: .transport, offset: 2, length: 2, into: .r1), .compare(.equal, .r1, [UInt8(port >> 8), UInt8(port & 0xff)]),
                ]
            case "ct":
                guard try next("state") == "state" else { throw call.failure("ct: BoxLab's nft knows ct state") }
                let negated = negation()
                var bits: UInt32 = 0
                for name in try next("states").split(separator: ",") {
                    guard let state = NFTConntrackKey.stateNames.first(where: { $0.name == name }) else {
                        throw call.failure("ct state \(name): not a state", cause: "new, established, related, invalid, untracked")
                    }
                    bits |= UInt32(state.bits)
                }
                var mask: [UInt8] = []
                mask.append(contentsOf: withUnsafeBytes(of: bits) { Array($0) })
                expressions += [.conntrack(.state, into: .r1), .bitwise(.r1, into: .r1, mask: mask, xor: [0, 0, 0, 0]),
                                .compare(negated ? .equal : .notEqual, .r1, [0, 0, 0, 0])]
            case "counter": expressions.append(.counter())
            case "accept": expressions.append(.verdict(.accept))
            case "drop": expressions.append(.verdict(.drop))
            case "return": expressions.append(.verdict(.return))
            case "jump", "goto":
                let chain = try next("a chain")
                expressions.append(.verdict(word == "jump" ? .jump(chain) : .goto(chain)))
            case "masquerade": expressions.append(.masquerade())
            case "dnat", "snat":
                guard try next("to") == "to" else { throw call.failure("\(word) needs `to ADDRESS[:PORT]`") }
                let text = try next("ADDRESS[:PORT]")
                let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
                guard let address = parts.first.flatMap(IPAddress.init), address.family == .inet,
                      parts.count == 1 || UInt16(parts[1]).map({ $0 > 0 }) == true else {
                    throw call.failure("\(word) to \(text): not ADDRESS[:PORT]", cause: "e.g. dnat to 172.17.0.2:80")
                }
                expressions.append(.immediate(.r1, .value(address.bytes)))
                if parts.count == 2, let port = UInt16(parts[1]) { expressions.append(.immediate(.r2, .value([UInt8(port >> 8), UInt8(port & 0xff)]))) }
                expressions.append(.nat(NFTNat(word == "dnat" ? .dnat : .snat, addresses: .r1 ... .r1, ports: parts.count == 2 ? .r2 ... .r2 : nil)))
            default:
                throw call.failure("statement \"\(word)\" is not one BoxLab's nft knows",
                                   cause: "ip saddr|daddr, iifname, oifname, tcp|udp dport, ct state, counter, accept, drop, return, jump, goto, masquerade, dnat to, snat to")
            }
        }
        guard !expressions.isEmpty else { throw call.failure("the rule has no statements", cause: "e.g. nft add rule ip nat POSTROUTING ip saddr 172.17.0.0/16 masquerade") }
        return expressions
    }

    private func commit(_ messages: [NetlinkMessage], _ doing: String) throws {
        try call.commitNetfilter(messages, doing)
    }

    // MARK: Listing

    private func list(family: NetfilterFamily = .unspecified, table: String? = nil, chain only: String? = nil) throws {
        let nft: NFTables
        var tables: [NFTTable] = [], chains: [NFTChain] = [], rules: [NFTRule] = []
        do {
            nft = try call.workbench.places.nfTables(call.namespace)
            tables = try nft.tables(family: family).filter { table == nil || $0.name == table }
            chains = try nft.chains(family: family, table: table).filter { only == nil || $0.name == only }
            rules = try nft.rules(family: family, table: table)
        } catch {
            throw call.failure("cannot list \(table.map { "table \($0)" } ?? "the ruleset")", error, cause: error.detail)
        }
        if let only, chains.isEmpty { throw call.failure("there is no chain \(only) in table \(family) \(table ?? "")", cause: "`nft list ruleset` shows them all") }
        let priorities: [String: [Int32: String]] = ["nat": [-100: "dstnat", 100: "srcnat"], "filter": [0: "filter"]]
        var text = ""
        for table in tables {
            text += "table \(table.family) \(table.name) {\n"
            let own = chains.filter { $0.family == table.family && $0.table == table.name }
            text += own.map { chain in
                var lines = ["\tchain \(chain.name) {"]
                if let base = chain.base {
                    let priority = priorities[base.type]?[base.priority] ?? String(base.priority)
                    lines.append("\t\ttype \(base.type) hook \(base.hook) priority \(priority); policy \(base.policy);")
                }
                lines += rules.filter { $0.family == table.family && $0.table == table.name && $0.chain == chain.name }.map { "\t\t" + Self.text(of: $0) }
                return (lines + ["\t}"]).joined(separator: "\n") + "\n"
            }.joined(separator: "\n")
            text += "}\n"
        }
        call.write(text)
    }

    /// A rule in nft's syntax, statement by statement in the rule's own order, each read
    /// through its meaning: iptables-nft's xtables read as what they do (`masquerade`).
    static func text(of rule: NFTRule) -> String {
        var words: [String] = []
        /// An `l4proto` match, held back to name the port that follows it (`tcp dport 80`).
        var transport: UInt8?
        for group in statementGroups(rule.expressions) {
            let meaning = NFTRule(family: rule.family, table: rule.table, chain: rule.chain, expressions: group).meaning
            if meaning.transport != nil, meaning.destinationPort == nil, meaning.unread.isEmpty, meaning.action == nil, !meaning.counts {
                if let held = transport { words.append("meta l4proto \(protocolName(held))") }
                transport = meaning.transport
                continue
            }
            if let held = transport, meaning.destinationPort == nil { words.append("meta l4proto \(protocolName(held))") }
            words += statementWords(meaning, transport: meaning.transport ?? transport, group)
            transport = nil
        }
        if let held = transport { words.append("meta l4proto \(protocolName(held))") }
        return words.joined(separator: " ")
    }

    private static func protocolName(_ number: UInt8) -> String { [6: "tcp", 17: "udp", 1: "icmp"][number] ?? String(number) }

    /// The expressions cut where a statement ends: loads and masks and the values for a NAT
    /// go with what follows them.
    private static func statementGroups(_ expressions: [NFTExpression]) -> [[NFTExpression]] {
        var groups: [[NFTExpression]] = [], current: [NFTExpression] = []
        for expression in expressions {
            current.append(expression)
            switch expression {
            case .payload, .meta, .conntrack, .bitwise: continue
            case .immediate(let register, .value) where register != .verdict: continue
            default:
                groups.append(current)
                current = []
            }
        }
        return current.isEmpty ? groups : groups + [current]
    }

    private static func statementWords(_ meaning: NFTRuleMeaning, transport: UInt8?, _ expressions: [NFTExpression]) -> [String] {
        var words: [String] = []
        func test<V>(_ name: String, _ test: NFTRuleMeaning.Test<V>?, _ text: (V) -> String) {
            guard let test else { return }
            words += [name] + (test.negated ? ["!="] : []) + [text(test.value)]
        }
        test("iifname", meaning.input) { "\"\($0.replacing("+", with: "*"))\"" }
        test("oifname", meaning.output) { "\"\($0.replacing("+", with: "*"))\"" }
        test("ip saddr", meaning.source) { $0.length == 32 ? $0.address.description : $0.description }
        test("ip daddr", meaning.destination) { $0.length == 32 ? $0.address.description : $0.description }
        if let port = meaning.destinationPort { words.append("\(transport.map(protocolName) ?? "th") dport \(port)") }
        test("ct state", meaning.states) { bits in NFTConntrackKey.stateNames.filter { UInt64(bits) & $0.bits != 0 }.map(\.name).joined(separator: ",") }
        words += meaning.unread
        for case .counter(let packets, let bytes) in expressions { words.append("counter packets \(packets) bytes \(bytes)") }
        switch meaning.action {
        case .verdict(let verdict)?: words.append(verdict.description)
        case .masquerade?: words.append("masquerade")
        case .dnat(let address, let port)?: words.append("dnat to \(address.map(\.description) ?? "")" + (port.map { ":\($0)" } ?? ""))
        case .snat(let address, let port)?: words.append("snat to \(address.map(\.description) ?? "")" + (port.map { ":\($0)" } ?? ""))
        case .target(let name)?: words.append("xt target \"\(name)\"")
        case nil: break
        }
        return words
    }
}
