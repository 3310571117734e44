/// An ARP packet for IPv4 over Ethernet (RFC 826): who has an address, and who answers.
public struct ARPPacket: Sendable, Equatable, CustomStringConvertible {
    public var operation: UInt16
    public var senderMAC: MACAddress
    public var senderAddress: IPAddress
    public var targetMAC: MACAddress
    public var targetAddress: IPAddress

    public static let request: UInt16 = 1
    public static let reply: UInt16 = 2

    /// The packet in `bytes`, or nil unless it is 28 bytes or more of Ethernet (hardware type 1,
    /// 6-byte addresses) and IPv4 (protocol 0x0800, 4-byte addresses).
    public init?(_ bytes: [UInt8]) {
        guard bytes.bigEndian16(at: 0) == 1, bytes.bigEndian16(at: 2) == EthernetFrame.ipv4, bytes.byte(at: 4) == 6, bytes.byte(at: 5) == 4,
              let operation = bytes.bigEndian16(at: 6), let senderMAC = bytes.bytes(at: 8, count: 6),
              let senderAddress = bytes.bytes(at: 14, count: 4).flatMap(IPAddress.init(bytes:)),
              let targetMAC = bytes.bytes(at: 18, count: 6),
              let targetAddress = bytes.bytes(at: 24, count: 4).flatMap(IPAddress.init(bytes:)) else { return nil }
        self.operation = operation
        self.senderMAC = MACAddress(bytes: senderMAC)
        self.senderAddress = senderAddress
        self.targetMAC = MACAddress(bytes: targetMAC)
        self.targetAddress = targetAddress
    }

    /// `who-has 172.18.1.1 tell 172.18.1.2`, `172.18.1.1 is-at 0e:…`, as tcpdump words them.
    public var description: String {
        switch operation {
        case ARPPacket.request: "who-has \(targetAddress) tell \(senderAddress)"
        case ARPPacket.reply: "\(senderAddress) is-at \(senderMAC)"
        default: "operation \(operation), \(senderAddress) (\(senderMAC)) to \(targetAddress)"
        }
    }
}
