/// `nlmsg_flags`. The low byte means the same in every message; the bits above it are
/// reused: 0x100 is ROOT in a GET, REPLACE in a NEW, NONREC in a DEL and CAPPED in an ack.
public struct NetlinkFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt16

    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// Every message to the kernel carries it.
    public static let request = NetlinkFlags(rawValue: 0x01)
    /// One part of a multipart reply; NLMSG_DONE ends it.
    public static let multi = NetlinkFlags(rawValue: 0x02)
    /// Asks for an NLMSG_ERROR with error 0 when the request succeeds.
    public static let ack = NetlinkFlags(rawValue: 0x04)
    public static let echo = NetlinkFlags(rawValue: 0x08)
    /// The dump changed while it was read: read it again for a consistent view.
    public static let dumpInterrupted = NetlinkFlags(rawValue: 0x10)
    /// The kernel applied the filter the dump request carried.
    public static let dumpFiltered = NetlinkFlags(rawValue: 0x20)

    // GET requests.
    public static let root = NetlinkFlags(rawValue: 0x100)
    public static let match = NetlinkFlags(rawValue: 0x200)
    public static let atomic = NetlinkFlags(rawValue: 0x400)
    /// Every object of the kind, not one: ROOT|MATCH.
    public static let dump: NetlinkFlags = [.root, .match]

    // NEW requests.
    public static let replace = NetlinkFlags(rawValue: 0x100)
    /// Fail with EEXIST when the object exists.
    public static let exclusive = NetlinkFlags(rawValue: 0x200)
    public static let create = NetlinkFlags(rawValue: 0x400)
    public static let append = NetlinkFlags(rawValue: 0x800)

    // DEL requests.
    public static let nonRecursive = NetlinkFlags(rawValue: 0x100)
    public static let bulk = NetlinkFlags(rawValue: 0x200)

    // NLMSG_ERROR.
    /// The ack echoes only the request's header, not its payload.
    public static let capped = NetlinkFlags(rawValue: 0x100)
    /// Extended-ack attributes (the kernel's message) follow the echoed request.
    public static let ackAttributes = NetlinkFlags(rawValue: 0x200)

    private static let common: [(bits: UInt64, name: String)] = [
        (0x01, "REQUEST"), (0x02, "MULTI"), (0x04, "ACK"), (0x08, "ECHO"), (0x10, "DUMP_INTR"), (0x20, "DUMP_FILTERED"),
    ]
    private static let byOperation: [NetlinkMessageType.Operation: [(bits: UInt64, name: String)]] = [
        .get: [(0x300, "DUMP"), (0x100, "ROOT"), (0x200, "MATCH"), (0x400, "ATOMIC")],
        .new: [(0x100, "REPLACE"), (0x400, "CREATE"), (0x200, "EXCL"), (0x800, "APPEND")],
        .delete: [(0x100, "NONREC"), (0x200, "BULK")],
        .control: [(0x100, "CAPPED"), (0x200, "ACK_TLVS")],
    ]

    /// `REQUEST|ACK|CREATE|EXCL`: the names (without `NLM_F_`) the bits have in a message of `type`.
    public func description(for type: NetlinkMessageType) -> String {
        traceFlags(UInt64(rawValue), Self.common + (Self.byOperation[type.operation] ?? []))
    }
}
