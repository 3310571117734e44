/// The body of NLMSG_ERROR (`struct nlmsgerr`): 0 acknowledges a request, a negative value
/// is the errno it failed with. Then the request's own header, echoed so the sender can
/// match it (with its payload too, unless the header says CAPPED), and, when the header
/// says ACK_TLVS, extended-ack attributes: the kernel's message in words.
public struct NetlinkErrorMessage: Sendable, Equatable {
    /// 0, or minus the errno.
    public var error: Int32
    /// The echoed request: its 16-byte header and, when not capped, its payload.
    public var request: [UInt8]
    /// `NLMSGERR_ATTR_*`.
    public var attributes: [NetlinkAttribute]

    public init(error: Int32, request: [UInt8], attributes: [NetlinkAttribute] = []) {
        self.error = error
        self.request = request
        self.attributes = attributes
    }

    init(decoding bytes: ArraySlice<UInt8>, flags: NetlinkFlags) throws(NetlinkDecodingError) {
        guard let error = bytes.integer(at: 0, as: Int32.self),
              let echoedLength = bytes.integer(at: 4, as: UInt32.self) else {
            throw NetlinkDecodingError("nlmsgerr needs 20 bytes, has \(bytes.count)")
        }
        let requestLength = flags.contains(.capped) ? NetlinkMessage.headerSize : Int(echoedLength)
        guard requestLength >= NetlinkMessage.headerSize, 4 + requestLength <= bytes.count else {
            throw NetlinkDecodingError("nlmsgerr echoes a \(requestLength)-byte request in \(bytes.count - 4) bytes")
        }
        self.error = error
        request = Array(bytes.dropFirst(4).prefix(requestLength))
        attributes = flags.contains(.ackAttributes)
            ? try NetlinkAttribute.decode(bytes.dropFirst(4 + netlinkAligned(requestLength))) : []
    }

    func encoded() -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.appendInteger(error)
        bytes += request
        bytes.padToAlignment()
        return bytes + NetlinkAttribute.encode(attributes)
    }

    /// Nil for an acknowledgement.
    public var errno: Errno? { error == 0 ? nil : Errno(-error) }

    /// The kernel's explanation (`NLMSGERR_ATTR_MSG`), e.g. "Unknown device type".
    public var message: String? { attributes.first(Extack.message)?.string }

    /// Where in the request the kernel stopped (`NLMSGERR_ATTR_OFFS`): bytes from the start
    /// of its header to the attribute it refused.
    public var offset: UInt32? { attributes.first(Extack.offset)?.integer() }

    /// The sequence number of the request this answers.
    public var requestSequence: UInt32? { request.integer(at: 8) }

    /// `error=0 (ACK)`, `error=-EEXIST (File exists) msg="…"`.
    var rendered: String {
        guard let errno else { return "error=0 (ACK)" }
        return "error=-\(errno)" + (message.map { " msg=\(traceQuote($0))" } ?? "")
    }

    enum Extack {
        static let message: UInt16 = 1
        static let offset: UInt16 = 2
    }
}
