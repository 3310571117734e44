/// One header of a decoded frame, and how deep in encapsulation it is: 0 for the frame on
/// the link, 1 for a frame a VXLAN header carries, and so on.
public struct PacketLayer: Sendable, Equatable {
    public var depth: Int
    public var header: Header

    public enum Header: Sendable, Equatable {
        case ethernet(EthernetFrame)
        case arp(ARPPacket)
        case ipv4(IPv4Packet)
        case udp(UDPDatagram)
        case icmp(ICMPMessage)
        case vxlan(VXLANHeader)
        /// What the previous header announced but the bytes do not hold: `IPv4` and why.
        case undecoded(String, reason: String)
    }

    /// The layers of `frame`, outer to inner, as far as they can be read: the decoding stops
    /// at a protocol it does not know (TCP, IPv6: the previous header names it) and says why
    /// it stopped where the bytes fall short of what a header announced.
    public static func decode(_ frame: [UInt8]) -> [PacketLayer] {
        var layers: [PacketLayer] = []
        var inner: [UInt8]? = frame
        var depth = 0
        while let bytes = inner, depth <= maximumDepth {
            inner = nil
            func add(_ header: Header) { layers.append(PacketLayer(depth: depth, header: header)) }
            guard let ethernet = EthernetFrame(bytes) else { add(.undecoded("Ethernet", reason: "\(bytes.count) bytes, shorter than a header")); break }
            add(.ethernet(ethernet))
            switch ethernet.etherType {
            case EthernetFrame.arp:
                if let arp = ARPPacket(ethernet.payload) { add(.arp(arp)) } else { add(.undecoded("ARP", reason: "not 28 bytes of Ethernet and IPv4 addresses")) }
            case EthernetFrame.ipv4:
                guard let ip = IPv4Packet(ethernet.payload) else { add(.undecoded("IPv4", reason: "no valid header in \(ethernet.payload.count) bytes")); break }
                add(.ipv4(ip))
                guard ip.fragmentOffset == 0 else { break }
                switch ip.protocol {
                case IPv4Packet.icmp:
                    if let icmp = ICMPMessage(ip.payload) { add(.icmp(icmp)) } else { add(.undecoded("ICMP", reason: "\(ip.payload.count) bytes, shorter than a header")) }
                case IPv4Packet.udp:
                    guard let udp = UDPDatagram(ip.payload) else { add(.undecoded("UDP", reason: "no valid header in \(ip.payload.count) bytes")); break }
                    add(.udp(udp))
                    guard VXLANHeader.ports.contains(udp.destinationPort) else { break }
                    guard let vxlan = VXLANHeader(udp.payload) else { add(.undecoded("VXLAN", reason: "\(udp.payload.count) bytes, shorter than a header")); break }
                    add(.vxlan(vxlan))
                    inner = vxlan.payload
                    depth += 1
                default: break
                }
            default: break
            }
        }
        if inner != nil { layers.append(PacketLayer(depth: depth, header: .undecoded("Ethernet", reason: "nested in more than \(maximumDepth) VXLAN headers"))) }
        return layers
    }

    /// VXLAN in VXLAN is legal, but no network nests it this deep: a frame that does is crafted,
    /// and is not followed further.
    static let maximumDepth = 8
}
