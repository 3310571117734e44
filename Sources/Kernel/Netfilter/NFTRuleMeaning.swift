/// What a rule does, read from its expressions whichever tool made it: nft's native
/// expressions (`masq`, `nat`, `ct`) and iptables-nft's xtables ones (`target MASQUERADE`,
/// `match conntrack`) mean the same here. Listings (`iptables -S`) and expectations (`nat
/// masquerade from 172.17.0.0/16 out !docker0`) read rules through it, so a rule is judged
/// by what it does and not by how it was written.
public struct NFTRuleMeaning: Sendable, Equatable {
    /// A match and whether it is negated (`! -o docker0`).
    public struct Test<Value: Sendable & Equatable>: Sendable, Equatable {
        public var value: Value
        public var negated: Bool

        public init(_ value: Value, negated: Bool = false) {
            self.value = value
            self.negated = negated
        }
    }

    public enum Action: Sendable, Equatable {
        case verdict(NFTVerdict)
        case masquerade
        case dnat(IPAddress?, port: UInt16?)
        case snat(IPAddress?, port: UInt16?)
        /// An xtables target BoxLab does not read.
        case target(String)
    }

    public var source: Test<IPPrefix>?
    public var destination: Test<IPPrefix>?
    /// Interface names; a trailing `+` matches every name it starts (`veth+`).
    public var input: Test<String>?
    public var output: Test<String>?
    /// 6 tcp, 17 udp.
    public var transport: UInt8?
    public var destinationPort: UInt16?
    /// Conntrack state bits (2 established, 4 related, 8 new, 1 invalid).
    public var states: Test<UInt16>?
    public var counts: Bool = false
    public var action: Action?
    /// Statements that have no iptables equivalent here, as the trace shows them.
    public var unread: [String] = []

    public init(
        source: Test<IPPrefix>? = nil, destination: Test<IPPrefix>? = nil, input: Test<String>? = nil, output: Test<String>? = nil,
        transport: UInt8? = nil, destinationPort: UInt16? = nil, states: Test<UInt16>? = nil, action: Action? = nil
    ) {
        self.source = source
        self.destination = destination
        self.input = input
        self.output = output
        self.transport = transport
        self.destinationPort = destinationPort
        self.states = states
        self.action = action
    }

    public init(_ rule: NFTRule) {
        /// What each register was last loaded with, and the mask applied to it.
        var loaded: [NFTRegister: (load: NFTExpression, mask: [UInt8]?)] = [:]
        var values: [NFTRegister: [UInt8]] = [:]
        for expression in rule.expressions {
            switch expression {
            case .payload(_, _, _, let register), .meta(_, let register), .conntrack(_, let register):
                loaded[register] = (expression, nil)
            case .bitwise(let source, let destination, let mask, let xor) where xor.allSatisfy({ $0 == 0 }) && loaded[source] != nil:
                loaded[destination] = (loaded[source]!.load, mask)
            case .compare(let op, let register, let value):
                guard let (load, mask) = loaded[register], read(load, mask: mask, op, value) else {
                    unread.append(NFTExpression.statements([expression], family: rule.family)[0]); continue
                }
            case .immediate(.verdict, .verdict(let verdict)):
                action = .verdict(verdict)
            case .immediate(let register, .value(let bytes)):
                values[register] = bytes
            case .counter:
                counts = true
            case .masquerade(0, nil):
                action = .masquerade
            case .nat(let nat) where nat.flags == 0:
                let address = nat.addresses.flatMap { values[$0.lowerBound] }.flatMap(IPAddress.init(bytes:))
                let port = nat.ports.flatMap { values[$0.lowerBound] }.flatMap { $0.count == 2 ? UInt16($0[0]) << 8 | UInt16($0[1]) : nil }
                action = nat.kind == .dnat ? .dnat(address, port: port) : .snat(address, port: port)
            default:
                if let target = expression.target {
                    switch target {
                    case .masquerade: action = .masquerade
                    case .dnat(let address, let port): action = .dnat(address, port: port)
                    case .other(let name, _, _): action = .target(name)
                    }
                } else if case .conntrackState(let bits, let inverted)? = expression.match {
                    states = Test(bits, negated: inverted)
                } else {
                    unread += NFTExpression.statements([expression], family: rule.family)
                }
            }
        }
    }

    /// Reads one comparison of what `load` put in a register; false when it means nothing here.
    private mutating func read(_ load: NFTExpression, mask: [UInt8]?, _ op: NFTExpression.CompareOperator, _ value: [UInt8]) -> Bool {
        guard op == .equal || op == .notEqual else { return false }
        let negated = op == .notEqual
        switch load {
        case .meta(let key, _) where key == .inputInterfaceName || key == .outputInterfaceName:
            guard mask == nil else { return false }
            let name = value.contains(0) ? String(decoding: value.prefix { $0 != 0 }, as: UTF8.self) : String(decoding: value, as: UTF8.self) + "+"
            if key == .inputInterfaceName { input = Test(name, negated: negated) } else { output = Test(name, negated: negated) }
        case .meta(.l4Protocol, _) where mask == nil && value.count == 1 && !negated,
             .payload(.network, 9, 1, _) where mask == nil && value.count == 1 && !negated:
            transport = value[0]
        case .payload(.network, let offset, let length, _) where (offset == 12 || offset == 16) && length <= 4 && value.count == Int(length):
            // A mask from another tool may be any width: only an IPv4 prefix's is read.
            let bits = mask.map { $0.reduce(0) { $0 + $1.nonzeroBitCount } } ?? Int(length) * 8
            guard bits <= 32, mask.map({ $0.count == 4 }) ?? true,
                  let address = IPAddress(bytes: value + [UInt8](repeating: 0, count: 4 - value.count)),
                  let prefix = IPPrefix(address: address, length: UInt8(bits)) else { return false }
            if offset == 12 { source = Test(prefix, negated: negated) } else { destination = Test(prefix, negated: negated) }
        case .payload(.transport, 2, 2, _) where mask == nil && !negated && value.count == 2:
            destinationPort = UInt16(value[0]) << 8 | UInt16(value[1])
        case .conntrack(.state, _):
            guard let mask, mask.count == 4, value.allSatisfy({ $0 == 0 }) else { return false }
            // `ct state established,related` is `state & bits != 0`; `!=` the opposite.
            states = Test(UInt16(truncatingIfNeeded: mask.integer(at: 0, as: UInt32.self) ?? 0), negated: op == .equal)
        default:
            return false
        }
        return true
    }

    /// `-s 172.17.0.0/16 ! -o docker0 -j MASQUERADE`, in the order `iptables -S` prints.
    public var iptablesArguments: [String] {
        func test<V>(_ option: String, _ test: Test<V>?, _ text: (V) -> String) -> [String] {
            guard let test else { return [] }
            return (test.negated ? ["!"] : []) + [option, text(test.value)]
        }
        var words = test("-s", source, \.description) + test("-d", destination, \.description)
            + test("-i", input, { $0 }) + test("-o", output, { $0 })
        let protocolName = transport.map { [6: "tcp", 17: "udp", 1: "icmp"][$0] ?? String($0) }
        if let protocolName { words += ["-p", protocolName] }
        if let destinationPort { words += ["-m", protocolName ?? "tcp", "--dport", String(destinationPort)] }
        if let states { words += XTMatch.conntrackState(states.value, inverted: states.negated).iptablesArguments }
        if !unread.isEmpty { words += ["#", "nft:"] + unread }
        switch action {
        case .verdict(.jump(let chain))?: words += ["-j", chain]
        case .verdict(.goto(let chain))?: words += ["-g", chain]
        case .verdict(let verdict)?: words += ["-j", verdict.description.uppercased()]
        case .masquerade?: words += XTTarget.masquerade.iptablesArguments
        case .dnat(let address?, let port)?: words += XTTarget.dnat(address, port: port).iptablesArguments
        case .snat(let address?, let port)?: words += ["-j", "SNAT", "--to-source", "\(address)" + (port.map { ":\($0)" } ?? "")]
        case .dnat(nil, _)?, .snat(nil, _)?: words += ["-j", "?NAT"]
        case .target(let name)?: words += ["-j", name]
        case nil: break
        }
        return words
    }
}

extension NFTRule {
    public var meaning: NFTRuleMeaning { NFTRuleMeaning(self) }

    /// `-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE`: the rule as `iptables -S`
    /// shows it, whoever made it.
    public var iptablesForm: String {
        (["-A", chain] + meaning.iptablesArguments).joined(separator: " ")
    }
}
