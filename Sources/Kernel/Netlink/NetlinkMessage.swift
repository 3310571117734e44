/// One netlink message: `struct nlmsghdr` (length, type, flags, sequence number, port id;
/// 16 bytes) and a body whose layout the type decides. A datagram holds one or more
/// messages, each starting on a 4-byte boundary.
///
/// Requests carry port id 0 (the kernel's) as their destination is implied; replies carry
/// the port id the kernel gave the socket at bind, and the request's sequence number.
public struct NetlinkMessage: Sendable, Equatable, CustomStringConvertible {
    public var type: NetlinkMessageType
    public var flags: NetlinkFlags
    public var sequence: UInt32
    public var portID: UInt32
    public var payload: Payload

    public enum Payload: Sendable, Equatable {
        case link(LinkMessage)
        case address(AddressMessage)
        case route(RouteMessage)
        case neighbour(NeighbourMessage)
        case namespaceID(NamespaceIDMessage)
        /// An nfnetlink message: nf_tables objects, and the markers of a batch.
        case netfilter(NetfilterMessage)
        case error(NetlinkErrorMessage)
        /// The end of a dump: 0, or minus the errno that cut it short.
        case done(status: Int32)
        /// A type BoxLab does not read, kept as bytes.
        case other([UInt8])
    }

    static let headerSize = 16

    public init(type: NetlinkMessageType, flags: NetlinkFlags, sequence: UInt32 = 0, portID: UInt32 = 0, payload: Payload) {
        self.type = type
        self.flags = flags
        self.sequence = sequence
        self.portID = portID
        self.payload = payload
    }

    /// The message as it goes on the socket; its length field counts the header and the
    /// body but not the padding after them.
    public func encoded() -> [UInt8] {
        let body: [UInt8] = switch payload {
        case .link(let link): link.encoded()
        case .address(let address): address.encoded()
        case .route(let route): route.encoded()
        case .neighbour(let neighbour): neighbour.encoded()
        case .namespaceID(let namespaceID): namespaceID.encoded()
        case .netfilter(let netfilter): netfilter.encoded()
        case .error(let error): error.encoded()
        case .done(let status): Swift.withUnsafeBytes(of: status) { Array($0) }
        case .other(let bytes): bytes
        }
        var bytes: [UInt8] = []
        bytes.appendInteger(UInt32(Self.headerSize + body.count))
        bytes.appendInteger(type.rawValue)
        bytes.appendInteger(flags.rawValue)
        bytes.appendInteger(sequence)
        bytes.appendInteger(portID)
        bytes += body
        bytes.padToAlignment()
        return bytes
    }

    /// The messages of one datagram, as recvmsg returned it from a socket of `protocol`.
    public static func decode(
        _ datagram: [UInt8], protocol netlinkProtocol: NetlinkProtocol = .route
    ) throws(NetlinkDecodingError) -> [NetlinkMessage] {
        var messages: [NetlinkMessage] = []
        var offset = 0
        // iproute2 sends some requests in a zero-filled buffer larger than the message; the
        // kernel stops at the first zero length, and so does this.
        while datagram.count - offset >= headerSize, datagram[offset...].contains(where: { $0 != 0 }) {
            let length = Int(datagram.integer(at: offset, as: UInt32.self)!)
            guard length >= headerSize, offset + length <= datagram.count else {
                throw NetlinkDecodingError("message at byte \(offset) claims \(length) bytes; \(datagram.count - offset) are left")
            }
            let type = NetlinkMessageType(rawValue: datagram.integer(at: offset + 4)!)
            let flags = NetlinkFlags(rawValue: datagram.integer(at: offset + 6)!)
            let body = datagram[(offset + headerSize)..<(offset + length)]
            messages.append(NetlinkMessage(
                type: type, flags: flags,
                sequence: datagram.integer(at: offset + 8)!, portID: datagram.integer(at: offset + 12)!,
                payload: try decodePayload(body, type: type, flags: flags, protocol: netlinkProtocol)
            ))
            offset += netlinkAligned(length)
        }
        return messages
    }

    private static func decodePayload(
        _ body: ArraySlice<UInt8>, type: NetlinkMessageType, flags: NetlinkFlags, protocol netlinkProtocol: NetlinkProtocol
    ) throws(NetlinkDecodingError) -> Payload {
        if netlinkProtocol == .netfilter, type.rawValue >= 16 { return .netfilter(try NetfilterMessage(decoding: body)) }
        switch type.rawValue {
        case 2: return .error(try NetlinkErrorMessage(decoding: body, flags: flags))
        case 3: return .done(status: body.integer(at: 0) ?? 0)
        case 16...19: return .link(try LinkMessage(decoding: body))
        case 20...23: return .address(try AddressMessage(decoding: body))
        case 24...27: return .route(try RouteMessage(decoding: body))
        case 28...31: return .neighbour(try NeighbourMessage(decoding: body))
        case 88...91: return .namespaceID(try NamespaceIDMessage(decoding: body))
        default: return .other(Array(body))
        }
    }

    /// What a learner reads in a trace: `RTM_NEWLINK flags=REQUEST|ACK|CREATE|EXCL
    /// ifname="veth-red" linkinfo={kind="veth", peer={ifname="veth-blue"}}`, or
    /// `NLMSG_ERROR error=0 (ACK)`. A trailing `...` says attributes were left out.
    public var description: String {
        let body = renderedBody
        return body.isEmpty ? name : "\(name) \(body)"
    }

    /// `RTM_NEWLINK`, `NFT_MSG_NEWRULE`: what the type is called in the message's protocol
    /// (nfnetlink's batch markers have the numbers of RTM_NEWLINK and RTM_DELLINK).
    public var name: String {
        if case .netfilter = payload { NetfilterMessage.name(of: type) } else { type.description }
    }

    /// The description without the type: what a failed request's error shows as its arguments.
    var renderedBody: String {
        let parts: (parts: [String], omitted: Bool) = switch payload {
        case .link(let link): link.renderedParts()
        case .address(let address): address.renderedParts()
        case .route(let route): route.renderedParts()
        case .neighbour(let neighbour): neighbour.renderedParts()
        case .namespaceID(let namespaceID): namespaceID.renderedParts()
        case .netfilter(let netfilter): netfilter.renderedParts(for: type)
        case .error(let error): ([error.rendered], false)
        case .done(let status): (status == 0 ? [] : ["error=-\(Errno(-status))"], false)
        case .other(let bytes): (["\(bytes.count) bytes"], false)
        }
        // The flags of control messages (CAPPED, MULTI on DONE) say nothing a learner needs.
        // In nf_tables only a GET's flags change what it asks for (a dump or one object).
        var showsFlags = type.operation != .control && !flags.isEmpty
        if case .netfilter = payload { showsFlags = showsFlags && type.operation == .get }
        let words = (showsFlags ? ["flags=\(flags.description(for: type))"] : []) + parts.parts + (parts.omitted ? ["..."] : [])
        return words.joined(separator: " ")
    }
}
