/// The body of RTM_NEWNSID and RTM_GETNSID: `struct rtgenmsg` (a family, padded to 4 bytes)
/// and `NETNSA_*` attributes. A namespace numbers the other namespaces it has links to
/// (a veth's far end): that number is the `link-netnsid` of a link dump, and asking with a
/// namespace's descriptor tells which namespace it stands for.
public struct NamespaceIDMessage: Sendable, Equatable {
    public var attributes: [NetlinkAttribute]

    static let size = 4

    public init(attributes: [NetlinkAttribute] = []) {
        self.attributes = attributes
    }

    init(decoding bytes: ArraySlice<UInt8>) throws(NetlinkDecodingError) {
        guard bytes.count >= Self.size else { throw NetlinkDecodingError("rtgenmsg needs 4 bytes, has \(bytes.count)") }
        attributes = try NetlinkAttribute.decode(bytes.dropFirst(Self.size))
    }

    func encoded() -> [UInt8] {
        [0, 0, 0, 0] + NetlinkAttribute.encode(attributes)
    }

    /// The number, or nil for -1: the namespace has none for that one yet.
    public var namespaceID: Int32? {
        attributes.first(NETNSA.namespaceID)?.integer(Int32.self).flatMap { $0 < 0 ? nil : $0 }
    }

    /// `nsid=0`, `fd=6`.
    func renderedParts() -> (parts: [String], omitted: Bool) {
        Self.schema.render(attributes)
    }

    private static let schema = AttributeSchema([
        NETNSA.namespaceID: ("nsid", AttributeValue.signed),
        NETNSA.pid: ("pid", AttributeValue.unsigned),
        NETNSA.descriptor: ("fd", AttributeValue.signed),
    ])
}

/// The `NETNSA_*` attribute types of linux/net_namespace.h.
enum NETNSA {
    static let namespaceID: UInt16 = 1
    static let pid: UInt16 = 2
    static let descriptor: UInt16 = 3
}
