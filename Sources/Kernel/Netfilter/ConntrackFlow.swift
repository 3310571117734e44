/// One entry of the kernel's connection tracking table, as ctnetlink dumps it
/// (`IPCTNL_MSG_CT_NEW`): the original tuple (the first packet as it arrived), the reply
/// tuple (the answer the kernel expects), what happened to it (`CTA_STATUS`), the TCP state,
/// the seconds left before it is forgotten, its mark and id. NAT shows as a reply tuple that
/// does not mirror the original: the kernel rewrites each packet so that both ends see
/// what they expect.
public struct ConntrackFlow: Sendable, Equatable {
    public var family: NetfilterFamily
    public var original: ConntrackTuple
    public var reply: ConntrackTuple
    public var status: ConntrackStatus
    /// `CTA_PROTOINFO_TCP_STATE`, TCP flows only.
    public var tcpState: TCPState?
    /// `CTA_TIMEOUT`: seconds until the entry expires.
    public var timeout: UInt32?
    public var mark: UInt32?
    /// `CTA_USE`: references the kernel holds.
    public var use: UInt32?
    public var id: UInt32?

    public init(family: NetfilterFamily = .ip, original: ConntrackTuple, reply: ConntrackTuple, status: ConntrackStatus = [],
                tcpState: TCPState? = nil, timeout: UInt32? = nil, mark: UInt32? = nil, use: UInt32? = nil, id: UInt32? = nil) {
        self.family = family
        self.original = original
        self.reply = reply
        self.status = status
        self.tcpState = tcpState
        self.timeout = timeout
        self.mark = mark
        self.use = use
        self.id = id
    }

    /// The flow an `IPCTNL_MSG_CT_NEW` message carries, or nil when it lacks its tuples.
    public init?(_ message: NetfilterMessage) {
        let attributes = message.attributes
        guard let original = attributes.first(Attribute.original)?.children.flatMap(ConntrackTuple.init),
              let reply = attributes.first(Attribute.reply)?.children.flatMap(ConntrackTuple.init) else { return nil }
        let tcp = attributes.first(Attribute.protocolInfo)?.children?.first(Attribute.tcpInfo)?.children
        self.init(
            family: message.family, original: original, reply: reply,
            status: ConntrackStatus(rawValue: attributes.first(Attribute.status)?.bigEndianInteger() ?? 0),
            tcpState: tcp?.first(Attribute.tcpState)?.integer(UInt8.self).map(TCPState.init(rawValue:)),
            timeout: attributes.first(Attribute.timeout)?.bigEndianInteger(),
            mark: attributes.first(Attribute.mark)?.bigEndianInteger(),
            use: attributes.first(Attribute.use)?.bigEndianInteger(),
            id: attributes.first(Attribute.id)?.bigEndianInteger()
        )
    }

    /// linux/netfilter/nfnetlink_conntrack.h: `CTA_*`, `CTA_PROTOINFO_*`.
    enum Attribute {
        static let original: UInt16 = 1
        static let reply: UInt16 = 2
        static let status: UInt16 = 3
        static let protocolInfo: UInt16 = 4
        static let timeout: UInt16 = 7
        static let mark: UInt16 = 8
        static let use: UInt16 = 11
        static let id: UInt16 = 12
        /// Inside `CTA_PROTOINFO`: `CTA_PROTOINFO_TCP`, and in it `CTA_PROTOINFO_TCP_STATE`.
        static let tcpInfo: UInt16 = 1
        static let tcpState: UInt16 = 1
    }

    /// `enum tcp_conntrack`, by conntrack(8)'s names.
    public struct TCPState: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }

        public static let established = TCPState(rawValue: 3)
        public static let timeWait = TCPState(rawValue: 7)

        private static let names = ["NONE", "SYN_SENT", "SYN_RECV", "ESTABLISHED", "FIN_WAIT", "CLOSE_WAIT", "LAST_ACK", "TIME_WAIT", "CLOSE", "SYN_SENT2"]

        public var description: String { Int(rawValue) < Self.names.count ? Self.names[Int(rawValue)] : "STATE\(rawValue)" }
    }

    /// What NAT did to the connection: for each end the original tuple names and the reply
    /// tuple does not mirror, where the packets really went (DNAT) or came from (SNAT).
    public struct Translation: Sendable, Hashable {
        public enum Kind: String, Sendable { case source = "SNAT", destination = "DNAT" }
        public var kind: Kind
        /// The end as the first packet named it, and as the kernel rewrote it.
        public var from: String
        public var to: String
        public var toAddress: IPAddress
        public var toPort: UInt16?
    }

    /// The rewrites, destination first (DNAT happens before routing, SNAT after it).
    public var translations: [Translation] {
        var translations: [Translation] = []
        if reply.source != original.destination || reply.sourcePort != original.destinationPort {
            translations.append(Translation(kind: .destination, from: original.destinationEnd, to: reply.sourceEnd, toAddress: reply.source, toPort: reply.sourcePort))
        }
        if reply.destination != original.source || reply.destinationPort != original.sourcePort {
            translations.append(Translation(kind: .source, from: original.sourceEnd, to: reply.destinationEnd, toAddress: reply.destination, toPort: reply.destinationPort))
        }
        return translations
    }

    /// The line conntrack(8) prints: `tcp      6 119 TIME_WAIT src=172.17.0.2 dst=203.0.113.1
    /// sport=40000 dport=80 src=203.0.113.1 dst=203.0.113.2 sport=80 dport=40000 [ASSURED] mark=0 use=1`.
    public var listed: String {
        var words = [original.protocolName.padding(toWidth: 8) + " \(original.protocolNumber)"]
        if let timeout { words.append("\(timeout)") }
        if let tcpState { words.append(tcpState.description) }
        words.append(original.listed)
        if !status.contains(.seenReply) { words.append("[UNREPLIED]") }
        words.append(reply.listed)
        if status.contains(.assured) { words.append("[ASSURED]") }
        if let mark { words.append("mark=\(mark)") }
        if let use { words.append("use=\(use)") }
        return words.joined(separator: " ")
    }

    /// How a trace shows the flow in the kernel's reply: conntrack(8)'s line with the status
    /// bits spelled out and the id.
    var renderedParts: [String] {
        var parts = family.shownInTrace + [original.protocolName]
        if let tcpState { parts.append(tcpState.description) }
        parts += ["orig={\(original.listed)}", "reply={\(reply.listed)}", "status=\(status.description)"]
        if let timeout { parts.append("timeout=\(timeout)") }
        if let mark { parts.append("mark=\(mark)") }
        if let id { parts.append("id=\(id)") }
        return parts
    }
}
