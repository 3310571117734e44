/// An Ethernet II frame's header (IEEE 802.3 with an EtherType): destination, source and the
/// type of what it carries, after any 802.1Q or 802.1ad VLAN tags, which are skipped and kept.
public struct EthernetFrame: Sendable, Equatable, CustomStringConvertible {
    public var destination: MACAddress
    public var source: MACAddress
    /// The VLAN ids of the tags between the source and the EtherType, outer first.
    public var vlans: [UInt16]
    public var etherType: UInt16
    public var payload: [UInt8]

    public static let ipv4: UInt16 = 0x0800
    public static let arp: UInt16 = 0x0806
    public static let ipv6: UInt16 = 0x86dd
    /// 802.1Q (a customer VLAN) and 802.1ad (a provider's, outside it).
    static let vlanTags: Set<UInt16> = [0x8100, 0x88a8]

    /// The header of `bytes`, or nil when they are too short to hold one (14 bytes, 4 more a tag).
    public init?(_ bytes: [UInt8]) {
        guard let destination = bytes.bytes(at: 0, count: 6), let source = bytes.bytes(at: 6, count: 6) else { return nil }
        var offset = 12
        var vlans: [UInt16] = []
        while let type = bytes.bigEndian16(at: offset), EthernetFrame.vlanTags.contains(type) {
            guard let tag = bytes.bigEndian16(at: offset + 2) else { return nil }
            vlans.append(tag & 0x0fff)
            offset += 4
        }
        guard let etherType = bytes.bigEndian16(at: offset) else { return nil }
        self.destination = MACAddress(bytes: destination)
        self.source = MACAddress(bytes: source)
        self.vlans = vlans
        self.etherType = etherType
        payload = bytes.bytes(from: offset + 2, upTo: bytes.count)
    }

    /// `IPv4`, `ARP`, `IPv6`, or the number as tcpdump shows an unknown one (`0x88cc`).
    public var typeName: String {
        switch etherType {
        case EthernetFrame.ipv4: "IPv4"
        case EthernetFrame.arp: "ARP"
        case EthernetFrame.ipv6: "IPv6"
        // Values up to 1500 are an 802.3 length, not a type (LLC follows).
        case ...1500: "802.3 length \(etherType)"
        default: "0x" + String(etherType, radix: 16)
        }
    }

    /// `0e:00:00:00:01:00 > 0e:00:00:00:02:00, IPv4` (`vlan 10, ` before the type when tagged).
    public var description: String {
        "\(source) > \(destination), " + vlans.map { "vlan \($0), " }.joined() + typeName
    }
}
