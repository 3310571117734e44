/// One netlink attribute (`struct rtattr`): a 2-byte length that counts the 4-byte header
/// and the payload but not the padding after it, a 2-byte type, the payload, then zeros up
/// to the next 4-byte boundary. A nested attribute's payload is itself a list of attributes.
///
/// An attribute keeps its payload as bytes, so a message decoded from the kernel encodes to
/// the same bytes again; the typed views read the payload when asked.
public struct NetlinkAttribute: Sendable, Equatable {
    /// The type without `NLA_F_NESTED`; what it means depends on where the attribute sits.
    public var type: UInt16
    /// `NLA_F_NESTED`: the kernel marks some nests (and userspace may mark any) with this bit.
    public var isNested: Bool
    public var payload: [UInt8]

    static let headerSize = 4
    private static let nestedBit: UInt16 = 0x8000

    public init(type: UInt16, payload: [UInt8], isNested: Bool = false) {
        self.type = type
        self.payload = payload
        self.isNested = isNested
    }

    /// A string attribute; interface names go with their NUL, kinds (`"veth"`) without.
    static func string(_ type: UInt16, _ text: String, terminated: Bool = true) -> NetlinkAttribute {
        NetlinkAttribute(type: type, payload: Array(text.utf8) + (terminated ? [0] : []))
    }

    static func integer<T: FixedWidthInteger>(_ type: UInt16, _ value: T) -> NetlinkAttribute {
        var payload: [UInt8] = []
        payload.appendInteger(value)
        return NetlinkAttribute(type: type, payload: payload)
    }

    /// Ports are in network byte order, and so is every integer of nf_tables.
    static func bigEndian<T: FixedWidthInteger>(_ type: UInt16, _ value: T) -> NetlinkAttribute {
        integer(type, value.bigEndian)
    }

    static func nested(_ type: UInt16, _ children: [NetlinkAttribute]) -> NetlinkAttribute {
        NetlinkAttribute(type: type, payload: encode(children))
    }

    /// The payload up to its first NUL, as UTF-8.
    public var string: String {
        String(decoding: payload.prefix { $0 != 0 }, as: UTF8.self)
    }

    /// The payload as a host-order integer of its own width, or nil when the width differs.
    public func integer<T: FixedWidthInteger>(_ type: T.Type = T.self) -> T? {
        payload.count == MemoryLayout<T>.size ? payload.integer(at: 0) : nil
    }

    /// The attributes inside a nested attribute (nil if the payload is not a list of them).
    public var children: [NetlinkAttribute]? {
        try? Self.decode(payload[...])
    }

    /// Header, payload and padding.
    func encoded(into bytes: inout [UInt8]) {
        bytes.appendInteger(UInt16(Self.headerSize + payload.count))
        bytes.appendInteger(type | (isNested ? Self.nestedBit : 0))
        bytes += payload
        bytes.padToAlignment()
    }

    static func encode(_ attributes: [NetlinkAttribute]) -> [UInt8] {
        var bytes: [UInt8] = []
        for attribute in attributes { attribute.encoded(into: &bytes) }
        return bytes
    }

    /// Splits `bytes` into attributes; the last one's padding may be missing.
    static func decode(_ bytes: ArraySlice<UInt8>) throws(NetlinkDecodingError) -> [NetlinkAttribute] {
        var attributes: [NetlinkAttribute] = []
        var offset = 0
        while bytes.count - offset >= headerSize {
            let length = Int(bytes.integer(at: offset, as: UInt16.self)!)
            let rawType = bytes.integer(at: offset + 2, as: UInt16.self)!
            guard length >= headerSize, offset + length <= bytes.count else {
                throw NetlinkDecodingError("attribute type \(rawType & ~nestedBit) at byte \(offset) claims \(length) bytes; \(bytes.count - offset) are left")
            }
            let start = bytes.startIndex + offset
            attributes.append(NetlinkAttribute(
                type: rawType & ~nestedBit,
                payload: Array(bytes[(start + headerSize)..<(start + length)]),
                isNested: rawType & nestedBit != 0
            ))
            offset += netlinkAligned(length)
        }
        return attributes
    }
}

extension Array where Element == NetlinkAttribute {
    /// The first attribute of `type`; the kernel sends each at most once at one level.
    func first(_ type: UInt16) -> NetlinkAttribute? {
        first { $0.type == type }
    }
}
