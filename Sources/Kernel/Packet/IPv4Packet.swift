/// An IPv4 header (RFC 791) and what it carries: the payload is cut at the total length,
/// so an Ethernet frame's padding is not taken for data.
public struct IPv4Packet: Sendable, Equatable, CustomStringConvertible {
    public var headerLength: Int
    public var totalLength: Int
    public var ttl: UInt8
    public var `protocol`: UInt8
    public var source: IPAddress
    public var destination: IPAddress
    /// In 8-byte units; a fragment after the first does not start with its protocol's header.
    public var fragmentOffset: UInt16
    public var payload: [UInt8]

    public static let icmp: UInt8 = 1
    public static let tcp: UInt8 = 6
    public static let udp: UInt8 = 17

    /// The packet in `bytes`, or nil when they hold no IPv4 header: version 4, a header length
    /// of at least 20 bytes that the bytes reach, and a total length no shorter than it.
    public init?(_ bytes: [UInt8]) {
        guard let first = bytes.byte(at: 0), first >> 4 == 4 else { return nil }
        let headerLength = Int(first & 0x0f) * 4
        guard headerLength >= 20, bytes.count >= headerLength, let totalLength = bytes.bigEndian16(at: 2).map(Int.init), totalLength >= headerLength,
              let fragment = bytes.bigEndian16(at: 6), let source = IPAddress(bytes: bytes.bytes(from: 12, upTo: 16)),
              let destination = IPAddress(bytes: bytes.bytes(from: 16, upTo: 20)) else { return nil }
        self.headerLength = headerLength
        self.totalLength = totalLength
        ttl = bytes[8]
        self.protocol = bytes[9]
        self.source = source
        self.destination = destination
        fragmentOffset = fragment & 0x1fff
        payload = bytes.bytes(from: headerLength, upTo: totalLength)
    }

    /// `ICMP`, `UDP`, `TCP`, or the number.
    public var protocolName: String {
        switch self.protocol {
        case IPv4Packet.icmp: "ICMP"
        case IPv4Packet.tcp: "TCP"
        case IPv4Packet.udp: "UDP"
        default: "protocol \(self.protocol)"
        }
    }

    /// `192.168.32.129 > 192.168.32.130, UDP, ttl 64, length 134`.
    public var description: String {
        "\(source) > \(destination), \(protocolName), ttl \(ttl), length \(totalLength)" + (fragmentOffset == 0 ? "" : ", fragment offset \(Int(fragmentOffset) * 8)")
    }
}
