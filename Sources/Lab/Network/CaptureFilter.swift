import Kernel

/// Which frames a capture shows: words in tcpdump's filter language, the few a lesson about
/// encapsulation needs, joined by `and`. Unlike tcpdump's, a word matches a header at any depth:
/// `icmp` on the underlay shows the VXLAN frames that carry an echo, which is the point.
///
///     arp | icmp | udp | udp port N | port N | vxlan | vxlan vni N      [and …]
struct CaptureFilter: Sendable, Equatable {
    enum Primitive: Sendable, Equatable {
        case arp, icmp
        /// UDP, to or from `port` when there is one (TCP is not decoded, so `port` is UDP's).
        case udp(port: UInt16?)
        case vxlan(vni: UInt32?)
    }

    var primitives: [Primitive] = []

    static let form = "arp | icmp | udp [port N] | port N | vxlan [vni N], joined by and"

    /// The filter the words spell; an empty list lets every frame through.
    static func parse(_ words: [String]) throws(CommandError) -> CaptureFilter {
        func fail(_ message: String) -> CommandError { CommandError(message: message, cause: "a filter is \(form)") }
        var words = words[...]
        var filter = CaptureFilter()
        while let word = words.popFirst() {
            if !filter.primitives.isEmpty {
                guard word == "and", let next = words.popFirst() else { throw fail("'\(word)' after a filter word: join them with and") }
                filter.primitives.append(try primitive(next, &words, fail))
            } else {
                filter.primitives.append(try primitive(word, &words, fail))
            }
        }
        return filter
    }

    private static func primitive(_ word: String, _ words: inout ArraySlice<String>, _ fail: (String) -> CommandError) throws(CommandError) -> Primitive {
        func number<N: FixedWidthInteger>(after keyword: String, upTo maximum: N) throws(CommandError) -> N {
            guard let text = words.popFirst() else { throw fail("\(keyword) needs a number") }
            guard let value = N(text), value <= maximum else { throw fail("'\(text)' is not a \(keyword) (0 to \(maximum))") }
            return value
        }
        switch word {
        case "arp": return .arp
        case "icmp": return .icmp
        case "port": return .udp(port: try number(after: "port", upTo: UInt16.max))
        case "udp":
            guard words.first == "port" else { return .udp(port: nil) }
            words.removeFirst()
            return .udp(port: try number(after: "port", upTo: UInt16.max))
        case "vxlan":
            guard words.first == "vni" else { return .vxlan(vni: nil) }
            words.removeFirst()
            return .vxlan(vni: try number(after: "vni", upTo: UInt32(1) << 24 - 1))
        default: throw fail("'\(word)' is not a filter word BoxLab knows")
        }
    }

    /// Whether every word of the filter finds its header among `layers`.
    func matches(_ layers: [PacketLayer]) -> Bool {
        primitives.allSatisfy { primitive in
            layers.contains { layer in
                switch (primitive, layer.header) {
                case (.arp, .arp), (.icmp, .icmp): true
                case (.udp(let port), .udp(let udp)): port == nil || port == udp.sourcePort || port == udp.destinationPort
                case (.vxlan(let vni), .vxlan(let vxlan)): vni == nil || vni == vxlan.vni
                default: false
                }
            }
        }
    }
}
