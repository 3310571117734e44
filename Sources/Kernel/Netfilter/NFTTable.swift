/// An nf_tables table: a named container of chains in one family (`nft add table ip nat`).
/// The kernel numbers it (`handle`) when it makes it.
public struct NFTTable: Sendable, Equatable {
    public var family: NetfilterFamily
    public var name: String
    /// `NFT_TABLE_F_*`: 1 dormant, 2 owned by the socket that made it.
    public var flags: UInt32
    public var handle: UInt64?

    public init(family: NetfilterFamily = .ip, name: String, flags: UInt32 = 0, handle: UInt64? = nil) {
        self.family = family
        self.name = name
        self.flags = flags
        self.handle = handle
    }

    /// The table a NEWTABLE, GETTABLE or DELTABLE message names.
    public init(_ message: NetfilterMessage) {
        let attributes = message.attributes
        family = message.family
        name = attributes.first(NFTA.Table.name)?.string ?? ""
        flags = attributes.first(NFTA.Table.flags)?.bigEndianInteger() ?? 0
        handle = attributes.first(NFTA.Table.handle)?.bigEndianInteger()
    }

    /// `NFTA_TABLE_NAME`, `NFTA_TABLE_FLAGS`, as nft sends them.
    var attributes: [NetlinkAttribute] {
        [.string(NFTA.Table.name, name), .bigEndian(NFTA.Table.flags, flags)]
    }

    /// `table=nat`, with the family when it is not ip and what the kernel adds.
    var renderedParts: [String] {
        var parts = family.shownInTrace
        if !name.isEmpty { parts.append("table=\(name)") }
        if flags != 0 { parts.append("flags=\(flags)") }
        if let handle { parts.append("handle=\(handle)") }
        return parts
    }
}
