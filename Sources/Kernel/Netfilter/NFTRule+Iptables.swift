/// How iptables-nft 1.8.9 turns a rule into expressions, so that a rule BoxLab's `iptables`
/// adds is byte for byte what `iptables-nft` would have sent: the interfaces, the protocol,
/// the addresses (a whole-byte prefix as a shorter load, any other with a mask), the port,
/// then xtables for what it has no native form for (`-m conntrack`, MASQUERADE, DNAT), a
/// counter, and the verdict.
extension NFTRule {
    public init(iptables table: String, chain: String, _ meaning: NFTRuleMeaning) {
        var expressions: [NFTExpression] = []
        func compare(_ load: NFTExpression, _ value: [UInt8], negated: Bool = false) {
            expressions += [load, .compare(negated ? .notEqual : .equal, .r1, value)]
        }
        for (key, test) in [(NFTMetaKey.inputInterfaceName, meaning.input), (.outputInterfaceName, meaning.output)] {
            guard let test else { continue }
            // `veth+` matches every name it starts: the comparison stops before the NUL.
            let name = test.value.hasSuffix("+") ? Array(test.value.dropLast().utf8) : Array(test.value.utf8) + [0]
            compare(.meta(key, into: .r1), name, negated: test.negated)
        }
        if let transport = meaning.transport { compare(.meta(.l4Protocol, into: .r1), [transport]) }
        for (offset, test) in [(UInt32(12), meaning.source), (16, meaning.destination)] {
            guard let test else { continue }
            expressions += NFTExpression.addressTest(offset: offset, test.value, negated: test.negated)
        }
        if let port = meaning.destinationPort { compare(.payload(base: .transport, offset: 2, length: 2, into: .r1), [UInt8(port >> 8), UInt8(port & 0xff)]) }
        if let states = meaning.states { expressions.append(.match(.conntrackState(states.value, inverted: states.negated))) }
        expressions.append(.counter())
        switch meaning.action {
        case .verdict(let verdict)?: expressions.append(.verdict(verdict))
        case .masquerade?: expressions.append(.target(.masquerade))
        case .dnat(let address?, let port)?: expressions.append(.target(.dnat(address, port: port)))
        case .dnat(nil, _)?, .snat?, .target?, nil: break
        }
        self.init(table: table, chain: chain, expressions: expressions, compatProtocol: UInt32(meaning.transport ?? 0))
    }
}

extension NFTExpression {
    /// The load, mask and comparison of an IPv4 prefix at `offset` in the network header
    /// (12 the source, 16 the destination), as nft and iptables-nft both make them: a prefix
    /// of whole bytes loads only those, any other loads four and masks them; /0 tests nothing.
    public static func addressTest(offset: UInt32, _ prefix: IPPrefix, negated: Bool = false) -> [NFTExpression] {
        let length = Int(prefix.length)
        guard length > 0 else { return [] }
        let mask = (0..<4).map { byte in UInt8(truncatingIfNeeded: 0xff << (8 - min(8, max(0, length - byte * 8)))) }
        let address = zip(prefix.address.bytes, mask).map { $0 & $1 }
        let op: CompareOperator = negated ? .notEqual : .equal
        if length % 8 == 0 {
            return [.payload(base: .network, offset: offset, length: UInt32(length / 8), into: .r1), .compare(op, .r1, Array(address.prefix(length / 8)))]
        }
        return [
            .payload(base: .network, offset: offset, length: 4, into: .r1), .bitwise(.r1, into: .r1, mask: mask, xor: [0, 0, 0, 0]),
            .compare(op, .r1, address),
        ]
    }
}

extension NFTChain {
    /// The base chains iptables-nft makes on first use, with its hooks and priorities: the
    /// filter table's at 0, the nat table's at -100 where packets arrive or leave this host
    /// (dstnat) and 100 where they depart or are delivered (srcnat). Nil for a name that is not one.
    public static func iptablesBuiltin(table: String, chain: String) -> NFTChain? {
        let hooks: [String: [String: (NFTHook, Int32)]] = [
            "filter": ["INPUT": (.input, 0), "FORWARD": (.forward, 0), "OUTPUT": (.output, 0)],
            "nat": ["PREROUTING": (.prerouting, -100), "INPUT": (.input, 100), "OUTPUT": (.output, -100), "POSTROUTING": (.postrouting, 100)],
        ]
        guard let (hook, priority) = hooks[table]?[chain] else { return nil }
        return NFTChain(table: table, name: chain, base: .init(hook: hook, priority: priority, type: table))
    }

    /// The tables BoxLab's `iptables` knows.
    public static let iptablesTables = ["filter", "nat"]
}
