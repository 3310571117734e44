/// The body of RTM_NEWADDR, RTM_DELADDR and RTM_GETADDR: `struct ifaddrmsg` (family,
/// prefix length, flags, scope, link index; 8 bytes) and `IFA_*` attributes.
///
/// For IPv4, `IFA_LOCAL` is the link's own address and `IFA_ADDRESS` the other end of a
/// point-to-point link (the same address otherwise); IPv6 sends only `IFA_ADDRESS`.
public struct AddressMessage: Sendable, Equatable {
    public var family: AddressFamily
    public var prefixLength: UInt8
    /// The low 8 bits of the flags; `IFA_FLAGS` carries all 32.
    public var flags: UInt8
    public var scope: RouteScope
    public var index: UInt32
    public var attributes: [NetlinkAttribute]

    static let size = 8

    public init(
        family: AddressFamily = .unspecified, prefixLength: UInt8 = 0, flags: UInt8 = 0,
        scope: RouteScope = .universe, index: UInt32 = 0, attributes: [NetlinkAttribute] = []
    ) {
        self.family = family
        self.prefixLength = prefixLength
        self.flags = flags
        self.scope = scope
        self.index = index
        self.attributes = attributes
    }

    init(decoding bytes: ArraySlice<UInt8>) throws(NetlinkDecodingError) {
        guard bytes.count >= Self.size else { throw NetlinkDecodingError("ifaddrmsg needs 8 bytes, has \(bytes.count)") }
        let start = bytes.startIndex
        family = AddressFamily(rawValue: bytes[start])
        prefixLength = bytes[start + 1]
        flags = bytes[start + 2]
        scope = RouteScope(rawValue: bytes[start + 3])
        index = bytes.integer(at: 4)!
        attributes = try NetlinkAttribute.decode(bytes.dropFirst(Self.size))
    }

    func encoded() -> [UInt8] {
        var bytes = [family.rawValue, prefixLength, flags, scope.rawValue]
        bytes.appendInteger(index)
        return bytes + NetlinkAttribute.encode(attributes)
    }

    public var local: IPAddress? { attributes.first(IFA.local).flatMap { IPAddress(bytes: $0.payload) } }
    public var address: IPAddress? { attributes.first(IFA.address).flatMap { IPAddress(bytes: $0.payload) } }
    public var broadcast: IPAddress? { attributes.first(IFA.broadcast).flatMap { IPAddress(bytes: $0.payload) } }
    public var label: String? { attributes.first(IFA.label)?.string }
    /// All 32 flag bits when the kernel sent `IFA_FLAGS`, else the header's 8.
    public var allFlags: AddressFlags {
        AddressFlags(rawValue: attributes.first(IFA.flags)?.integer(UInt32.self) ?? UInt32(flags))
    }

    /// `family=AF_INET prefixlen=24 index=3 local=10.0.0.1 address=10.0.0.1`; the flags are
    /// `ifa_flags`, as `flags` are the message's own.
    func renderedParts() -> (parts: [String], omitted: Bool) {
        var parts = ["family=\(family)"]
        if prefixLength != 0 { parts.append("prefixlen=\(prefixLength)") }
        // IFA_FLAGS, when present, holds these 8 bits and more.
        if flags != 0 && attributes.first(IFA.flags) == nil { parts.append("ifa_flags=\(AddressFlags(rawValue: UInt32(flags)))") }
        if scope != .universe { parts.append("scope=\(scope)") }
        if index != 0 { parts.append("index=\(index)") }
        let rendered = Self.schema.render(attributes)
        return (parts + rendered.parts, rendered.omitted)
    }

    private static let schema = AttributeSchema([
        IFA.address: ("address", AttributeValue.ip),
        IFA.local: ("local", AttributeValue.ip),
        IFA.label: ("label", AttributeValue.string),
        IFA.broadcast: ("broadcast", AttributeValue.ip),
        IFA.flags: ("ifa_flags", { AddressFlags(rawValue: $0.integer(UInt32.self) ?? 0).description }),
    ])
}

/// The `IFA_*` attribute types of linux/if_addr.h.
enum IFA {
    static let address: UInt16 = 1
    static let local: UInt16 = 2
    static let label: UInt16 = 3
    static let broadcast: UInt16 = 4
    static let flags: UInt16 = 8
}

/// The `IFA_F_*` flags of an address.
public struct AddressFlags: OptionSet, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt32

    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let secondary = AddressFlags(rawValue: 0x01)
    /// Skip IPv6 duplicate address detection: usable at once.
    public static let noDAD = AddressFlags(rawValue: 0x02)
    public static let optimistic = AddressFlags(rawValue: 0x04)
    public static let dadFailed = AddressFlags(rawValue: 0x08)
    public static let homeAddress = AddressFlags(rawValue: 0x10)
    public static let deprecated = AddressFlags(rawValue: 0x20)
    /// IPv6 duplicate address detection has not finished: not yet usable.
    public static let tentative = AddressFlags(rawValue: 0x40)
    /// Added by hand rather than learned (no lifetime).
    public static let permanent = AddressFlags(rawValue: 0x80)
    public static let manageTemporaryAddress = AddressFlags(rawValue: 0x100)
    public static let noPrefixRoute = AddressFlags(rawValue: 0x200)
    public static let multicastAutoJoin = AddressFlags(rawValue: 0x400)
    public static let stablePrivacy = AddressFlags(rawValue: 0x800)

    private static let names: [(bits: UInt64, name: String)] = [
        (0x01, "SECONDARY"), (0x02, "NODAD"), (0x04, "OPTIMISTIC"), (0x08, "DADFAILED"), (0x10, "HOMEADDRESS"),
        (0x20, "DEPRECATED"), (0x40, "TENTATIVE"), (0x80, "PERMANENT"), (0x100, "MANAGETEMPADDR"),
        (0x200, "NOPREFIXROUTE"), (0x400, "MCAUTOJOIN"), (0x800, "STABLE_PRIVACY"),
    ]

    /// `PERMANENT|NODAD`; `0` when empty.
    public var description: String { traceFlags(UInt64(rawValue), Self.names) }
}
