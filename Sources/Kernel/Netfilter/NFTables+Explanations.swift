/// What BoxLab can tell about a message nf_tables refused, from the message and the errno:
/// the kernel gives no words, only (in an extended ack) the offset of the attribute it
/// stopped at.
extension NFTables {
    public static func explain(_ message: NetlinkMessage, _ errno: Errno) -> String? {
        guard case .netfilter(let body) = message.payload else { return nil }
        let family = body.family
        if errno == .EPERM { return "nf_tables needs CAP_NET_ADMIN in the user namespace that owns the network namespace" }
        switch message.type {
        case .newTable:
            let table = NFTTable(body)
            if errno == .EEXIST { return "table \(family) \(table.name) exists" }
            if errno == .EOPNOTSUPP || errno == .EAFNOSUPPORT { return "this kernel has no nf_tables family \(family)" }
        case .deleteTable:
            let table = NFTTable(body)
            if errno == .ENOENT { return "there is no table \(family) \(table.name)" }
            if errno == .EBUSY { return "table \(family) \(table.name) is in use" }
        case .newChain:
            let chain = NFTChain(body)
            if errno == .EEXIST { return "chain \(chain.name) exists in table \(family) \(chain.table)" }
            if errno == .ENOENT {
                return "there is no table \(family) \(chain.table)" + (chain.base.map { ", or this kernel has no chain type \($0.type) (module nft_chain_\($0.type))" } ?? "")
            }
            if errno == .EOPNOTSUPP, let base = chain.base { return "a \(base.type) chain cannot hook \(base.hook) in family \(family)" }
            if errno == .EINVAL, chain.base != nil { return "the hook, priority, type or policy is not one the kernel accepts (the policy must be accept or drop)" }
        case .deleteChain:
            let chain = NFTChain(body)
            if errno == .ENOENT { return "there is no chain \(chain.name) in table \(family) \(chain.table)" }
            if errno == .EBUSY { return "chain \(chain.name) still has rules, or a rule jumps to it: delete those first" }
        case .newRule:
            let rule = NFTRule(body)
            let targets = rule.expressions.compactMap { expression -> String? in
                if case .immediate(.verdict, .verdict(let verdict)) = expression { verdict.chain } else { nil }
            }
            switch errno {
            case .ENOENT:
                return "there is no table \(family) \(rule.table), no chain \(rule.chain) in it"
                    + targets.map { ", or no chain \($0) for the rule to \(rule.expressions.contains(.verdict(.goto($0))) ? "goto" : "jump to")" }.joined()
                    + ", or an expression's kernel module is missing"
            case .ELOOP: return "the jump to \(targets.joined(separator: ", ")) makes a loop back to chain \(rule.chain)"
            case .EOPNOTSUPP:
                return "an expression cannot be used here: nat and masq work only in a nat chain of its hook (masq in postrouting, dnat in prerouting or output)"
            case .EINVAL: return "an expression is malformed: a register, length or value the kernel does not accept"
            default: break
            }
        case .deleteRule:
            let rule = NFTRule(body)
            if errno == .ENOENT { return "there is no rule \(rule.handle.map { "with handle \($0) " } ?? "")in chain \(rule.chain) of table \(family) \(rule.table)" }
        default: break
        }
        return nil
    }
}
