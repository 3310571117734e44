/// What BoxLab can tell about a message nf_tables refused. The kernel gives no words, only
/// the errno and (in its extended ack) the offset of the attribute it stopped at, which
/// names the culprit: the rule's table or chain, or one expression of its list.
extension NFTables {
    /// A sentence for `errno` refusing `message`, or nil when BoxLab cannot say more than the errno.
    public static func explain(_ message: NetlinkMessage, _ errno: Errno, offset: UInt32? = nil) -> String? {
        guard case .netfilter(let body) = message.payload else { return nil }
        if errno == .EPERM { return "nf_tables needs CAP_NET_ADMIN in the user namespace that owns the network namespace" }
        let path = offset.map { AttributePath(to: Int($0), in: body.attributes, at: NetlinkMessage.headerSize + NetfilterMessage.size) }
        let pointed = path?.steps.first?.type
        let family = body.family
        switch message.type {
        case .newTable, .deleteTable:
            let name = NFTTable(body).name
            return switch errno {
            case .EEXIST: "table \(family) \(name) exists"
            case .ENOENT: "there is no table \(family) \(name)"
            case .EBUSY: "table \(family) \(name) is in use"
            case .EOPNOTSUPP, .EAFNOSUPPORT: "this kernel has no nf_tables family \(family)"
            default: nil
            }
        case .newChain, .deleteChain:
            return explain(NFTChain(body), errno, pointed: pointed)
        case .newRule, .deleteRule:
            let rule = NFTRule(body)
            var expression: Int?
            if pointed == NFTA.Rule.expressions, let steps = path?.steps, steps.count > 1 { expression = steps[1].index }
            return explain(rule, errno, pointed: pointed, expression: expression)
        default:
            return nil
        }
    }

    private static func explain(_ chain: NFTChain, _ errno: Errno, pointed: UInt16?) -> String? {
        let table = "table \(chain.family) \(chain.table)"
        switch (errno, pointed) {
        case (.ENOENT, NFTA.Chain.table): return "there is no \(table)"
        case (.ENOENT, NFTA.Chain.type): return "this kernel has no chain type \(chain.base?.type ?? "?") (module nft_chain_\(chain.base?.type ?? "?"))"
        case (.ENOENT, _):
            return chain.base == nil || pointed == NFTA.Chain.name ? "there is no chain \(chain.name) in \(table), or no \(table)" : "there is no \(table), or this kernel has no chain type \(chain.base!.type)"
        case (.EEXIST, _): return "chain \(chain.name) exists in \(table)"
        case (.EBUSY, _): return "chain \(chain.name) still has rules, or a rule jumps to it: delete those first"
        case (.EOPNOTSUPP, _), (.EINVAL, NFTA.Chain.hook):
            guard let base = chain.base else { return nil }
            return "a \(base.type) chain cannot hook \(base.hook) with priority \(base.priority) in family \(chain.family)"
        case (.EINVAL, NFTA.Chain.policy): return "a base chain's policy is accept or drop"
        default: return nil
        }
    }

    private static func explain(_ rule: NFTRule, _ errno: Errno, pointed: UInt16?, expression index: Int?) -> String? {
        let table = "table \(rule.family) \(rule.table)"
        if let index, index < rule.expressions.count {
            let expression = rule.expressions[index]
            let statement = NFTExpression.statements([expression], family: rule.family)[0]
            let position = "expression \(index + 1), \(statement)"
            switch errno {
            case .ENOENT:
                if case .immediate(.verdict, .verdict(let verdict)) = expression, let target = verdict.chain {
                    return "there is no chain \(target) in \(table) for \(position)"
                }
                if let name = expression.target?.name ?? expression.match?.name {
                    let kind = expression.target == nil ? "match" : "target"
                    return "this kernel has no xtables \(kind) \(name) (module xt_\(name), through nft_compat) for \(position)"
                }
                return "this kernel has no expression \(expression.name) (module nft_\(expression.name)) for \(position)"
            case .ELOOP: return "\(position), makes a loop back to chain \(rule.chain)"
            case .EOPNOTSUPP:
                return "\(position), cannot be used in chain \(rule.chain): nat and masq work only in a nat chain of a hook that allows them (masq and snat in postrouting, dnat in prerouting or output)"
            case .EINVAL, .ERANGE: return "the kernel refused \(position): a register, length or value it does not accept"
            default: return "the kernel refused \(position)"
            }
        }
        switch (errno, pointed) {
        case (.ENOENT, NFTA.Rule.table): return "there is no \(table)"
        case (.ENOENT, NFTA.Rule.chain): return "there is no chain \(rule.chain) in \(table)"
        case (.ENOENT, NFTA.Rule.handle): return "there is no rule with handle \(rule.handle ?? 0) in chain \(rule.chain) of \(table)"
        case (.ENOENT, _):
            let targets = rule.expressions.compactMap { expression -> String? in
                if case .immediate(.verdict, .verdict(let verdict)) = expression { verdict.chain } else { nil }
            }
            return "there is no \(table), no chain \(rule.chain) in it" + targets.map { ", or no chain \($0) to jump to" }.joined()
        case (.EOPNOTSUPP, _):
            // The kernel checks where NAT may go after parsing the rule, and points at nothing.
            let translations = rule.expressions.filter {
                if case .nat = $0 { true } else if case .masquerade = $0 { true } else { false }
            }
            guard !translations.isEmpty else { return nil }
            let statements = NFTExpression.statements(translations, family: rule.family).joined(separator: " ")
            return "\(statements) cannot be used in chain \(rule.chain): nat and masq work only in a nat chain of a hook that allows them (masq and snat in postrouting, dnat in prerouting or output)"
        default: return nil
        }
    }
}
