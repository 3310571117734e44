/// The body of an nfnetlink message: `struct nfgenmsg` (family, version, resource id; 4
/// bytes) and attributes, whose types the message type gives meaning to. The attributes are
/// kept as bytes, so a message decoded from the kernel encodes to the same bytes again; the
/// nf_tables objects (`NFTTable`, `NFTChain`, `NFTRule`) and conntrack's flows (`ConntrackFlow`)
/// are read from them when asked.
public struct NetfilterMessage: Sendable, Equatable {
    public var family: NetfilterFamily
    public var version: UInt8
    /// `res_id`, big-endian: the subsystem in a batch marker, the ruleset's generation (its
    /// low 16 bits) in the kernel's replies, 0 in requests.
    public var resourceID: UInt16
    public var attributes: [NetlinkAttribute]

    static let size = 4
    /// `NFNL_SUBSYS_NFTABLES`.
    static let nfTablesSubsystem: UInt16 = 10
    /// `NFNL_SUBSYS_CTNETLINK`: the connection tracking table.
    static let conntrackSubsystem: UInt16 = 1
    /// `NFNL_MSG_BATCH_BEGIN` and `NFNL_MSG_BATCH_END`: a batch is one transaction, applied
    /// whole or not at all.
    public static let batchBegin = NetlinkMessageType(rawValue: 16)
    public static let batchEnd = NetlinkMessageType(rawValue: 17)

    public init(family: NetfilterFamily, version: UInt8 = 0, resourceID: UInt16 = 0, attributes: [NetlinkAttribute] = []) {
        self.family = family
        self.version = version
        self.resourceID = resourceID
        self.attributes = attributes
    }

    init(decoding bytes: ArraySlice<UInt8>) throws(NetlinkDecodingError) {
        guard bytes.count >= Self.size else { throw NetlinkDecodingError("nfgenmsg needs 4 bytes, has \(bytes.count)") }
        family = NetfilterFamily(rawValue: bytes[bytes.startIndex])
        version = bytes[bytes.startIndex + 1]
        resourceID = UInt16(bigEndian: bytes.integer(at: 2)!)
        attributes = try NetlinkAttribute.decode(bytes.dropFirst(Self.size))
    }

    func encoded() -> [UInt8] {
        var bytes: [UInt8] = [family.rawValue, version]
        bytes.appendInteger(resourceID.bigEndian)
        return bytes + NetlinkAttribute.encode(attributes)
    }

    /// `NFNL_MSG_BATCH_BEGIN`, `NFT_MSG_NEWRULE`.
    static func name(of type: NetlinkMessageType) -> String {
        switch type {
        case batchBegin: "NFNL_MSG_BATCH_BEGIN"
        case batchEnd: "NFNL_MSG_BATCH_END"
        default: type.description
        }
    }

    /// `table=nat chain=POSTROUTING [payload ip saddr & 255.255.0.0 == 172.17.0.0] [masq]`:
    /// the object the message carries, as `NFTTable`, `NFTChain` or `NFTRule` read it.
    func renderedParts(for type: NetlinkMessageType) -> (parts: [String], omitted: Bool) {
        switch type {
        case Self.batchBegin, Self.batchEnd: ([], false)
        case .newTable, .getTable, .deleteTable: (NFTTable(self).renderedParts, false)
        case .newChain, .getChain, .deleteChain: (NFTChain(self).renderedParts, false)
        case .newRule, .getRule, .deleteRule: (NFTRule(self).renderedParts, false)
        case .conntrackNew: ConntrackFlow(self).map { ($0.renderedParts, false) } ?? (family.shownInTrace, !attributes.isEmpty)
        default: (family.shownInTrace, !attributes.isEmpty)
        }
    }
}
