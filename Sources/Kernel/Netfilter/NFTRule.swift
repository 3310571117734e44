/// An nf_tables rule: a list of expressions the kernel runs in order, in one chain. Loads
/// put packet fields in registers, comparisons end the rule early when they fail, and the
/// last expressions act (a verdict, NAT, a counter). The kernel numbers rules (`handle`);
/// a new rule goes at the end of its chain, or at the start, or after `position`.
public struct NFTRule: Sendable, Equatable {
    public var family: NetfilterFamily
    public var table: String
    public var chain: String
    public var expressions: [NFTExpression]
    public var handle: UInt64?
    /// In NEWRULE: the handle of the rule to insert after (or, at the start, before).
    public var position: UInt64?
    /// `NFTA_RULE_COMPAT`, which iptables-nft adds to every rule: the protocol of its `-p`
    /// (0 without), checked by the kernel against the xtables extensions' own. The kernel
    /// keeps it to itself and does not report it in dumps.
    public var compatProtocol: UInt32?

    public init(
        family: NetfilterFamily = .ip, table: String, chain: String, expressions: [NFTExpression],
        handle: UInt64? = nil, position: UInt64? = nil, compatProtocol: UInt32? = nil
    ) {
        self.family = family
        self.table = table
        self.chain = chain
        self.expressions = expressions
        self.handle = handle
        self.position = position
        self.compatProtocol = compatProtocol
    }

    /// The rule a NEWRULE, GETRULE or DELRULE message carries; an expression BoxLab cannot
    /// read stays as `.other`.
    public init(_ message: NetfilterMessage) {
        let attributes = message.attributes
        family = message.family
        table = attributes.first(NFTA.Rule.table)?.string ?? ""
        chain = attributes.first(NFTA.Rule.chain)?.string ?? ""
        handle = attributes.first(NFTA.Rule.handle)?.bigEndianInteger()
        position = attributes.first(NFTA.Rule.position)?.bigEndianInteger()
        compatProtocol = attributes.first(NFTA.Rule.compat)?.children?.first(NFTA.RuleCompat.proto)?.bigEndianInteger()
        expressions = (attributes.first(NFTA.Rule.expressions)?.children ?? [])
            .filter { $0.type == NFTA.listElement }
            .map { NFTExpression(element: $0.children ?? []) }
    }

    /// Table, chain, position or handle, and the expressions, in nft's order; a counter's
    /// zeros are sent when `explicitCounters` (iptables-nft's way; by default for its rules).
    func attributes(explicitCounters: Bool? = nil) -> [NetlinkAttribute] {
        var attributes: [NetlinkAttribute] = [.string(NFTA.Rule.table, table), .string(NFTA.Rule.chain, chain)]
        if let handle { attributes.append(.bigEndian(NFTA.Rule.handle, handle)) }
        if let position { attributes.append(.bigEndian(NFTA.Rule.position, position)) }
        if !expressions.isEmpty {
            // iptables-nft sends a counter's zeros, nft leaves them out.
            let explicitCounters = explicitCounters ?? (compatProtocol != nil)
            attributes.append(.marked(NFTA.Rule.expressions, expressions.map { .marked(NFTA.listElement, $0.attributes(explicitCounters: explicitCounters)) }))
        }
        if let compatProtocol {
            attributes.append(.marked(NFTA.Rule.compat, [.bigEndian(NFTA.RuleCompat.proto, compatProtocol), .bigEndian(NFTA.RuleCompat.flags, UInt32(0))]))
        }
        return attributes
    }

    /// `table=nat chain=POSTROUTING [payload ip saddr & 255.255.0.0 == 172.17.0.0] [masq]`.
    var renderedParts: [String] {
        var parts = family.shownInTrace
        if !table.isEmpty { parts.append("table=\(table)") }
        if !chain.isEmpty { parts.append("chain=\(chain)") }
        if let handle { parts.append("handle=\(handle)") }
        if let position { parts.append("position=\(position)") }
        return parts + NFTExpression.statements(expressions, family: family)
    }

    /// The rule as the kernel would report it: no position, the kernel's handle aside.
    public var unnumbered: NFTRule {
        var rule = self
        rule.handle = nil
        rule.position = nil
        rule.compatProtocol = nil
        return rule
    }
}
