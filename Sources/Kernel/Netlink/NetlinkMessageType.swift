/// `nlmsg_type`: below 16 the netlink layer's own control messages, from 16 on the
/// rtnetlink requests and replies, in groups of four (NEW, DEL, GET, SET) per object; on a
/// netfilter socket, the subsystem in the high byte and its message in the low one
/// (nf_tables: groups of three, NEW, GET, DEL).
public struct NetlinkMessageType: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt16

    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let noop = NetlinkMessageType(rawValue: 1)
    /// An acknowledgement (error 0) or the errno a request failed with.
    public static let error = NetlinkMessageType(rawValue: 2)
    /// The end of a multipart dump.
    public static let done = NetlinkMessageType(rawValue: 3)
    public static let overrun = NetlinkMessageType(rawValue: 4)

    public static let newLink = NetlinkMessageType(rawValue: 16)
    public static let deleteLink = NetlinkMessageType(rawValue: 17)
    public static let getLink = NetlinkMessageType(rawValue: 18)
    public static let setLink = NetlinkMessageType(rawValue: 19)
    public static let newAddress = NetlinkMessageType(rawValue: 20)
    public static let deleteAddress = NetlinkMessageType(rawValue: 21)
    public static let getAddress = NetlinkMessageType(rawValue: 22)
    public static let newRoute = NetlinkMessageType(rawValue: 24)
    public static let deleteRoute = NetlinkMessageType(rawValue: 25)
    public static let getRoute = NetlinkMessageType(rawValue: 26)
    public static let newNeighbour = NetlinkMessageType(rawValue: 28)
    public static let deleteNeighbour = NetlinkMessageType(rawValue: 29)
    public static let getNeighbour = NetlinkMessageType(rawValue: 30)
    public static let newNamespaceID = NetlinkMessageType(rawValue: 88)
    public static let getNamespaceID = NetlinkMessageType(rawValue: 90)

    /// `NFNL_SUBSYS_NFTABLES << 8 | NFT_MSG_*`.
    static func nfTables(_ message: UInt16) -> NetlinkMessageType {
        NetlinkMessageType(rawValue: NetfilterMessage.nfTablesSubsystem << 8 | message)
    }

    public static let newTable = nfTables(0)
    public static let getTable = nfTables(1)
    public static let deleteTable = nfTables(2)
    public static let newChain = nfTables(3)
    public static let getChain = nfTables(4)
    public static let deleteChain = nfTables(5)
    public static let newRule = nfTables(6)
    public static let getRule = nfTables(7)
    public static let deleteRule = nfTables(8)
    /// The ruleset's generation: the kernel sends one after each batch it commits.
    public static let newGeneration = nfTables(15)
    public static let getGeneration = nfTables(16)

    /// `NFNL_SUBSYS_CTNETLINK << 8 | IPCTNL_MSG_CT_*`: a flow (the kernel's replies to a
    /// dump are NEWs), the request for one or all, and its removal.
    public static let conntrackNew = NetlinkMessageType(rawValue: NetfilterMessage.conntrackSubsystem << 8 | 0)
    public static let conntrackGet = NetlinkMessageType(rawValue: NetfilterMessage.conntrackSubsystem << 8 | 1)
    public static let conntrackDelete = NetlinkMessageType(rawValue: NetfilterMessage.conntrackSubsystem << 8 | 2)

    /// What the flags above the low byte mean depends on the kind of request.
    enum Operation { case control, new, delete, get, set }

    var operation: Operation {
        guard rawValue >= 16 else { return .control }
        if rawValue >> 8 == NetfilterMessage.nfTablesSubsystem {
            // Tables to set elements come in threes; then NEWGEN, and GETGEN, which asks.
            let message = rawValue & 0xff
            return message < 15 ? [.new, .get, .delete][Int(message % 3)] : self == .getGeneration ? .get : .new
        }
        if rawValue >> 8 == NetfilterMessage.conntrackSubsystem {
            // NEW, GET, DELETE, then variants of GET (with counters zeroed, statistics, dying…).
            return [0: .new, 2: .delete][rawValue & 0xff] ?? .get
        }
        return [.new, .delete, .get, .set][Int(rawValue % 4)]
    }

    private static let names: [UInt16: String] = [
        1: "NLMSG_NOOP", 2: "NLMSG_ERROR", 3: "NLMSG_DONE", 4: "NLMSG_OVERRUN",
        16: "RTM_NEWLINK", 17: "RTM_DELLINK", 18: "RTM_GETLINK", 19: "RTM_SETLINK",
        20: "RTM_NEWADDR", 21: "RTM_DELADDR", 22: "RTM_GETADDR",
        24: "RTM_NEWROUTE", 25: "RTM_DELROUTE", 26: "RTM_GETROUTE",
        28: "RTM_NEWNEIGH", 29: "RTM_DELNEIGH", 30: "RTM_GETNEIGH",
        88: "RTM_NEWNSID", 89: "RTM_DELNSID", 90: "RTM_GETNSID",
        0x0a00: "NFT_MSG_NEWTABLE", 0x0a01: "NFT_MSG_GETTABLE", 0x0a02: "NFT_MSG_DELTABLE",
        0x0a03: "NFT_MSG_NEWCHAIN", 0x0a04: "NFT_MSG_GETCHAIN", 0x0a05: "NFT_MSG_DELCHAIN",
        0x0a06: "NFT_MSG_NEWRULE", 0x0a07: "NFT_MSG_GETRULE", 0x0a08: "NFT_MSG_DELRULE",
        0x0a09: "NFT_MSG_NEWSET", 0x0a0a: "NFT_MSG_GETSET", 0x0a0b: "NFT_MSG_DELSET",
        0x0a0c: "NFT_MSG_NEWSETELEM", 0x0a0d: "NFT_MSG_GETSETELEM", 0x0a0e: "NFT_MSG_DELSETELEM",
        0x0a0f: "NFT_MSG_NEWGEN", 0x0a10: "NFT_MSG_GETGEN",
        0x0100: "IPCTNL_MSG_CT_NEW", 0x0101: "IPCTNL_MSG_CT_GET", 0x0102: "IPCTNL_MSG_CT_DELETE",
    ]

    /// `RTM_NEWLINK`; a type with no name here is shown as its number.
    public var description: String { Self.names[rawValue] ?? "NLMSG_\(rawValue)" }
}
