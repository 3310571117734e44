/// The nf_tables requests, built as nft builds them: changes go in a batch (`NFTables.commit`),
/// dumps on their own.
extension NetlinkMessage {
    /// NFNL_MSG_BATCH_BEGIN: what follows, up to the end marker, is one transaction of nf_tables.
    public static let batchBegin = netfilter(NetfilterMessage.batchBegin, [], NetfilterMessage(family: .unspecified, resourceID: NetfilterMessage.nfTablesSubsystem))
    public static let batchEnd = netfilter(NetfilterMessage.batchEnd, [], NetfilterMessage(family: .unspecified, resourceID: NetfilterMessage.nfTablesSubsystem))

    private static func netfilter(_ type: NetlinkMessageType, _ flags: NetlinkFlags, _ message: NetfilterMessage) -> NetlinkMessage {
        NetlinkMessage(type: type, flags: flags.union(.request), payload: .netfilter(message))
    }

    /// NFT_MSG_NEWTABLE, as `nft add table`: an existing table is left as it is.
    public static func newTable(_ table: NFTTable) -> NetlinkMessage {
        netfilter(.newTable, [], NetfilterMessage(family: table.family, attributes: table.attributes))
    }

    public static func deleteTable(_ family: NetfilterFamily, _ name: String) -> NetlinkMessage {
        netfilter(.deleteTable, [], NetfilterMessage(family: family, attributes: [.string(NFTA.Table.name, name)]))
    }

    /// NFT_MSG_NEWCHAIN with CREATE, as `nft add chain`.
    public static func newChain(_ chain: NFTChain) -> NetlinkMessage {
        netfilter(.newChain, .create, NetfilterMessage(family: chain.family, attributes: chain.attributes))
    }

    /// NFT_MSG_DELCHAIN: the chain must have no rules and no rule may jump to it.
    public static func deleteChain(_ family: NetfilterFamily, table: String, _ name: String) -> NetlinkMessage {
        netfilter(.deleteChain, [], NetfilterMessage(family: family, attributes: NFTChain(family: family, table: table, name: name).reference))
    }

    /// NFT_MSG_NEWRULE with CREATE|APPEND: at the end of the chain (`iptables -A`), or after
    /// the rule `position` names. `atStart` (without APPEND) puts it first (`iptables -I`),
    /// or before `position`.
    public static func newRule(_ rule: NFTRule, atStart: Bool = false) -> NetlinkMessage {
        var rule = rule
        rule.handle = nil
        return netfilter(.newRule, atStart ? .create : [.create, .append], NetfilterMessage(family: rule.family, attributes: rule.attributes()))
    }

    /// NFT_MSG_DELRULE of the rule with `handle`, or of every rule of the chain (`iptables -F`) without one.
    public static func deleteRule(_ family: NetfilterFamily, table: String, chain: String, handle: UInt64?) -> NetlinkMessage {
        let rule = NFTRule(family: family, table: table, chain: chain, expressions: [], handle: handle)
        return netfilter(.deleteRule, [], NetfilterMessage(family: family, attributes: rule.attributes()))
    }

    /// A GETTABLE, GETCHAIN or GETRULE dump, of one family or all, narrowed to a table (and,
    /// for rules, a chain).
    public static func nfTablesDump(_ type: NetlinkMessageType, family: NetfilterFamily = .unspecified, table: String? = nil, chain: String? = nil) -> NetlinkMessage {
        var attributes: [NetlinkAttribute] = []
        // The table's attribute is 1 in chains and rules alike; a rule's chain is 2.
        if let table { attributes.append(.string(NFTA.Rule.table, table)) }
        if let chain { attributes.append(.string(NFTA.Rule.chain, chain)) }
        return netfilter(type, .dump, NetfilterMessage(family: family, attributes: attributes))
    }
}
