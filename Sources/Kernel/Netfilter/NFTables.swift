/// A client of the kernel's nf_tables, in one network namespace, over `NETLINK_NETFILTER`:
/// what nft and iptables-nft do, without libnftnl. Changes are sent as one batch
/// (NFNL_MSG_BATCH_BEGIN … END), which the kernel applies whole or not at all; dumps read
/// tables, chains and rules back as the same Swift values, whoever made them.
///
/// A message the kernel refuses throws a `KernelError` named after the message
/// (`NFT_MSG_NEWRULE(table=filter chain=FORWARD [jump MISSING]) failed: ENOENT (No such file
/// or directory)`), with the kernel's errno and, in its detail, what BoxLab can tell about
/// the cause. The sandbox's namespace has tables of its own; the machine's are never touched
/// unless the client is opened there.
public final class NFTables: Sendable {
    private let connection: NetlinkConnection

    /// A client for the calling thread's network namespace, or for `namespace`.
    ///
    /// The corresponding C functions are `setns`, `socket`, `setsockopt` and `bind`.
    public init(in namespace: NetworkNamespace? = nil) throws(KernelError) {
        connection = try NetlinkConnection(.netfilter, in: namespace)
    }

    /// Sends `messages` (NEWTABLE, NEWCHAIN, NEWRULE, DEL…) as one batch, each asking for an
    /// acknowledgement, and waits for the kernel's answer to every one.
    ///
    /// The corresponding C functions are `sendmsg` and `recvmsg`.
    public func commit(_ messages: [NetlinkMessage]) throws(KernelError) {
        let acknowledged = messages.map { message in
            var message = message
            message.flags.insert(.ack)
            return message
        }
        try connection.exchange(batch: [.batchBegin] + acknowledged + [.batchEnd]) { message, errno, offset in
            NFTables.explain(message, errno, offset: offset)
        }
    }

    /// Every table, of one family or all.
    ///
    /// The corresponding C functions are `sendmsg` and `recvmsg`.
    public func tables(family: NetfilterFamily = .unspecified) throws(KernelError) -> [NFTTable] {
        try dump(.nfTablesDump(.getTable, family: family)).map(NFTTable.init)
    }

    /// Every chain, of one family or all, or of one table.
    ///
    /// The corresponding C functions are `sendmsg` and `recvmsg`.
    public func chains(family: NetfilterFamily = .unspecified, table: String? = nil) throws(KernelError) -> [NFTChain] {
        // Kernels before 6.x ignore the table in a chain dump's request: the filter is applied here too.
        try dump(.nfTablesDump(.getChain, family: family, table: table)).map(NFTChain.init)
            .filter { (family == .unspecified || $0.family == family) && (table == nil || $0.table == table) }
    }

    /// Every rule, of one family or all, of one table, or of one chain, in the chains' order.
    ///
    /// The corresponding C functions are `sendmsg` and `recvmsg`.
    public func rules(family: NetfilterFamily = .unspecified, table: String? = nil, chain: String? = nil) throws(KernelError) -> [NFTRule] {
        try dump(.nfTablesDump(.getRule, family: family, table: table, chain: chain)).map(NFTRule.init)
            .filter { (family == .unspecified || $0.family == family) && (table == nil || $0.table == table) && (chain == nil || $0.chain == chain) }
    }

    private func dump(_ request: NetlinkMessage) throws(KernelError) -> [NetfilterMessage] {
        try connection.exchange(request).compactMap { reply in
            if case .netfilter(let message) = reply.payload { message } else { nil }
        }
    }
}
