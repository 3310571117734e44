/// Deletions that name an object by the handle the kernel gave it rather than by its name:
/// what `reset` sends, so that a table or chain someone made since under the same name is
/// never the one deleted.
extension NetlinkMessage {
    /// NFT_MSG_DELTABLE of the table with `handle`: its chains, rules and sets go with it.
    public static func deleteTable(_ family: NetfilterFamily, handle: UInt64) -> NetlinkMessage {
        NetlinkMessage(type: .deleteTable, flags: .request, payload: .netfilter(
            NetfilterMessage(family: family, attributes: [.bigEndian(NFTA.Table.handle, handle)])))
    }

    /// NFT_MSG_DELCHAIN of the chain with `handle` in `table`: it must have no rules and no
    /// rule may jump to it.
    public static func deleteChain(_ family: NetfilterFamily, table: String, handle: UInt64) -> NetlinkMessage {
        NetlinkMessage(type: .deleteChain, flags: .request, payload: .netfilter(
            NetfilterMessage(family: family, attributes: [.string(NFTA.Chain.table, table), .bigEndian(NFTA.Chain.handle, handle)])))
    }
}
