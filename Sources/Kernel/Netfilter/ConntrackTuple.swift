/// One direction of a tracked connection, as ctnetlink's `CTA_TUPLE_ORIG` or
/// `CTA_TUPLE_REPLY` carries it: addresses (`CTA_TUPLE_IP`) and the layer-4 protocol with
/// its ports (`CTA_TUPLE_PROTO`). The reply tuple is what the kernel expects the answer to
/// look like: when NAT rewrote the connection, it is not the original one mirrored.
public struct ConntrackTuple: Sendable, Hashable {
    public var source: IPAddress
    public var destination: IPAddress
    /// `IPPROTO_*`: 6 TCP, 17 UDP, 1 ICMP.
    public var protocolNumber: UInt8
    /// Ports of TCP, UDP, SCTP…; nil for ICMP.
    public var sourcePort: UInt16?
    public var destinationPort: UInt16?
    /// ICMP's type, code and echo identifier, which stand in for ports.
    public var icmp: ICMP?

    public struct ICMP: Sendable, Hashable {
        public var type: UInt8
        public var code: UInt8
        public var identifier: UInt16
    }

    public init(source: IPAddress, destination: IPAddress, protocolNumber: UInt8, sourcePort: UInt16? = nil, destinationPort: UInt16? = nil) {
        self.source = source
        self.destination = destination
        self.protocolNumber = protocolNumber
        self.sourcePort = sourcePort
        self.destinationPort = destinationPort
    }

    /// `CTA_TUPLE_IP` and `CTA_TUPLE_PROTO`; nil when either is missing or not an address.
    init?(_ attributes: [NetlinkAttribute]) {
        guard let ip = attributes.first(Attribute.ip)?.children, let proto = attributes.first(Attribute.proto)?.children,
              let source = (ip.first(Attribute.IP.v4Source) ?? ip.first(Attribute.IP.v6Source)).flatMap({ IPAddress(bytes: $0.payload) }),
              let destination = (ip.first(Attribute.IP.v4Destination) ?? ip.first(Attribute.IP.v6Destination)).flatMap({ IPAddress(bytes: $0.payload) }),
              let number = proto.first(Attribute.Proto.number)?.integer(UInt8.self)
        else { return nil }
        self.init(
            source: source, destination: destination, protocolNumber: number,
            sourcePort: proto.first(Attribute.Proto.sourcePort)?.bigEndianInteger(),
            destinationPort: proto.first(Attribute.Proto.destinationPort)?.bigEndianInteger()
        )
        if let type = proto.first(Attribute.Proto.icmpType)?.integer(UInt8.self), let code = proto.first(Attribute.Proto.icmpCode)?.integer(UInt8.self),
           let identifier: UInt16 = proto.first(Attribute.Proto.icmpIdentifier)?.bigEndianInteger() {
            icmp = ICMP(type: type, code: code, identifier: identifier)
        }
    }

    /// linux/netfilter/nfnetlink_conntrack.h: `CTA_TUPLE_*`, `CTA_IP_*`, `CTA_PROTO_*`.
    enum Attribute {
        static let ip: UInt16 = 1
        static let proto: UInt16 = 2
        enum IP {
            static let v4Source: UInt16 = 1
            static let v4Destination: UInt16 = 2
            static let v6Source: UInt16 = 3
            static let v6Destination: UInt16 = 4
        }
        enum Proto {
            static let number: UInt16 = 1
            static let sourcePort: UInt16 = 2
            static let destinationPort: UInt16 = 3
            static let icmpIdentifier: UInt16 = 4
            static let icmpType: UInt16 = 5
            static let icmpCode: UInt16 = 6
        }
    }

    /// `tcp`, `udp`, `icmp`; other protocols by number, as conntrack(8) shows them.
    public var protocolName: String {
        switch protocolNumber {
        case 1: "icmp"
        case 6: "tcp"
        case 17: "udp"
        case 58: "icmpv6"
        case 132: "sctp"
        default: "unknown"
        }
    }

    /// `src=172.17.0.2 dst=203.0.113.1 sport=40000 dport=80`, conntrack(8)'s words.
    public var listed: String {
        var words = ["src=\(source)", "dst=\(destination)"]
        if let sourcePort { words.append("sport=\(sourcePort)") }
        if let destinationPort { words.append("dport=\(destinationPort)") }
        if let icmp { words += ["type=\(icmp.type)", "code=\(icmp.code)", "id=\(icmp.identifier)"] }
        return words.joined(separator: " ")
    }

    /// `172.17.0.2:40000`: the source end; `sourceEnd`/`destinationEnd` read as a learner writes them.
    public var sourceEnd: String { ConntrackTuple.end(source, sourcePort) }
    public var destinationEnd: String { ConntrackTuple.end(destination, destinationPort) }

    static func end(_ address: IPAddress, _ port: UInt16?) -> String {
        port.map { "\(address):\($0)" } ?? address.description
    }
}
