/// The nf_tables requests as iptables-nft 1.8.9 builds them: its attributes come in another
/// order than nft's and its flags differ, which the kernel takes alike; BoxLab's `iptables`
/// sends these, byte for byte iptables-nft's, so what the learner sees traced is what
/// `strace iptables-nft` would show.
extension NetlinkMessage {
    /// NFT_MSG_NEWTABLE with CREATE and the name only: what iptables-nft sends the first time
    /// a table is used (`-t nat`).
    public static func iptablesTable(_ name: String) -> NetlinkMessage {
        NetlinkMessage(type: .newTable, flags: [.request, .create], payload: .netfilter(NetfilterMessage(family: .ip, attributes: [.string(NFTA.Table.name, name)])))
    }

    /// NFT_MSG_NEWCHAIN: a base chain with CREATE (made the first time it is used), a user
    /// chain with EXCL (`-N`, which fails if it exists).
    public static func iptablesChain(_ chain: NFTChain) -> NetlinkMessage {
        NetlinkMessage(type: .newChain, flags: chain.base == nil ? [.request, .exclusive] : [.request, .create],
                       payload: .netfilter(NetfilterMessage(family: chain.family, attributes: chain.iptablesAttributes(counters: false))))
    }

    /// NFT_MSG_DELRULE of a rule as the kernel's dump gave it (`-D`): iptables-nft finds the
    /// rule in its cache and sends it back whole, handle, position and expressions; the
    /// kernel needs only the handle.
    public static func iptablesDeleteRule(_ rule: NFTRule) -> NetlinkMessage {
        NetlinkMessage(type: .deleteRule, flags: .request, payload: .netfilter(NetfilterMessage(family: rule.family, attributes: rule.attributes(explicitCounters: true))))
    }

    /// NFT_MSG_NEWCHAIN without CREATE of an existing base chain, with its new policy and
    /// zeroed counters (`-P`).
    public static func iptablesPolicy(_ chain: NFTChain) -> NetlinkMessage {
        NetlinkMessage(type: .newChain, flags: .request, payload: .netfilter(NetfilterMessage(family: chain.family, attributes: chain.iptablesAttributes(counters: true))))
    }
}

extension NFTChain {
    /// Table, name, hook, policy, (counters,) type: iptables-nft's order.
    func iptablesAttributes(counters: Bool) -> [NetlinkAttribute] {
        var attributes = reference
        if let base {
            attributes += [
                .marked(NFTA.Chain.hook, [.bigEndian(NFTA.Hook.number, base.hook.rawValue), .bigEndian(NFTA.Hook.priority, base.priority)]),
                .bigEndian(NFTA.Chain.policy, base.policy.code),
            ]
            if counters { attributes.append(.marked(NFTA.Chain.counters, [.bigEndian(NFTA.Counter.packets, UInt64(0)), .bigEndian(NFTA.Counter.bytes, UInt64(0))])) }
            attributes.append(.string(NFTA.Chain.type, base.type))
        }
        return attributes
    }
}
