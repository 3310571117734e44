import Kernel

/// A captured frame as `capture` prints it: a line for the frame, then one per header, outer
/// to inner, named in a column and indented once more for each encapsulation (the frame a
/// VXLAN header carries), as tcpdump -e would print them if it gave each header a line.
///
///     1  node3:eth0 in  148 bytes
///        Ethernet  0e:… > 0e:…, IPv4
///        IPv4      192.168.32.129 > 192.168.32.130, UDP, ttl 64, length 134
///        UDP       41234 > 8472, length 114
///        VXLAN     flags [I], VNI 1
///          Ethernet  0e:00:00:00:01:00 > 0e:00:00:00:02:00, IPv4
///          …
enum CaptureListing {
    static func render(_ number: Int, _ frame: CapturedFrame, on place: String) -> String {
        let direction = frame.direction.description
        var text = "\(number)  \(place) \(direction.padding(toWidth: 4))\(frame.length) bytes\n"
        let indent = String(repeating: " ", count: String(number).count + 2)
        for layer in PacketLayer.decode(frame.bytes) {
            let (name, detail) = describe(layer.header)
            text += indent + String(repeating: "  ", count: layer.depth) + name.padding(toWidth: 9) + " " + detail + "\n"
        }
        return text
    }

    /// A header's name and its one line.
    static func describe(_ header: PacketLayer.Header) -> (String, String) {
        switch header {
        case .ethernet(let ethernet): ("Ethernet", ethernet.description)
        case .arp(let arp): ("ARP", arp.description)
        case .ipv4(let ip): ("IPv4", ip.description)
        case .udp(let udp): ("UDP", udp.description)
        case .icmp(let icmp): ("ICMP", icmp.description)
        case .vxlan(let vxlan): ("VXLAN", vxlan.description)
        case .undecoded(let name, let reason): (name, "[\(reason)]")
        }
    }

    /// The frame in one line, its innermost headers that say most: `VXLAN VNI 2 carrying
    /// 172.18.1.2 > 172.18.2.2 ICMP echo request` (for a check's "found").
    static func summary(_ layers: [PacketLayer]) -> String {
        var parts: [String] = []
        for layer in layers {
            switch layer.header {
            case .vxlan(let vxlan): parts.append("VXLAN VNI \(vxlan.vni) carrying")
            case .ipv4(let ip): parts.append("\(ip.source) > \(ip.destination) \(ip.protocolName)")
            // Not the source port: VXLAN's is a hash of the inner flow, different every run.
            case .udp(let udp): parts.append("to port \(udp.destinationPort)")
            case .icmp(let icmp): parts.append(icmp.description)
            case .arp(let arp): parts.append("ARP " + arp.description)
            case .ethernet(let ethernet) where ![EthernetFrame.ipv4, EthernetFrame.arp].contains(ethernet.etherType): parts.append(ethernet.typeName)
            case .undecoded(let name, let reason): parts.append("\(name) [\(reason)]")
            case .ethernet: break
            }
        }
        return parts.joined(separator: " ")
    }
}
