import Kernel
import LabFuzz
import Testing

/// The frame decoders against frames tcpdump captured and decoded (Fixtures/frame-*.hex,
/// its words in the comments), and against every cut and some garbage: never a trap.
struct PacketDecodingTests {
    static let fixtures = ["frame-vxlan-echo", "frame-ipv6-mld", "frame-arp-request", "frame-arp-reply", "frame-icmp-echo"]

    @Test func vxlanEchoLayerByLayer() throws {
        let layers = PacketLayer.decode(try hexFixture("frame-vxlan-echo.hex"))
        #expect(layers.map(\.depth) == [0, 0, 0, 0, 1, 1, 1])
        guard layers.count == 7, case .ethernet(let outer) = layers[0].header, case .ipv4(let ip) = layers[1].header,
              case .udp(let udp) = layers[2].header, case .vxlan(let vxlan) = layers[3].header, case .ethernet(let inner) = layers[4].header,
              case .ipv4(let innerIP) = layers[5].header, case .icmp(let icmp) = layers[6].header else {
            Issue.record("layers: \(layers)")
            return
        }
        #expect(outer.description == "be:3c:fe:55:89:34 > 72:6b:ed:1a:d3:26, IPv4")
        // tcpdump: IP (ttl 64, proto UDP (17), length 134) 192.168.32.129.41706 > 192.168.32.130.8472
        #expect(ip.description == "192.168.32.129 > 192.168.32.130, UDP, ttl 64, length 134")
        #expect(ip.headerLength == 20)
        #expect(udp.description == "41706 > 8472, length 106")
        #expect(udp.length == 114)
        // tcpdump: OTV, flags [I] (0x08), overlay 0, instance 1 (it reads port 8472 as OTV's)
        #expect(vxlan.description == "flags [I], VNI 1")
        #expect(inner.description == "0e:00:00:00:01:00 > 0e:00:00:00:02:00, IPv4")
        // tcpdump: IP (ttl 63, proto ICMP (1), length 84) 172.18.1.2 > 172.18.2.2: ICMP echo request, id 27155, seq 0
        #expect(innerIP.description == "172.18.1.2 > 172.18.2.2, ICMP, ttl 63, length 84")
        #expect(icmp.description == "echo request, id 27155, seq 0")
        #expect(icmp.isEchoRequest)
    }

    @Test func arpAndPlainICMP() throws {
        let request = PacketLayer.decode(try hexFixture("frame-arp-request.hex"))
        #expect(request.count == 2)
        guard case .arp(let who) = request.last?.header, case .arp(let answer) = PacketLayer.decode(try hexFixture("frame-arp-reply.hex")).last?.header else {
            Issue.record("no ARP layer")
            return
        }
        #expect(who.description == "who-has 172.18.2.1 tell 172.18.2.2")
        #expect(answer.description == "172.18.2.1 is-at a2:d8:ec:55:c1:d2")
        let echo = PacketLayer.decode(try hexFixture("frame-icmp-echo.hex"))
        guard echo.count == 3, case .ipv4(let ip) = echo[1].header, case .icmp(let icmp) = echo[2].header else {
            Issue.record("layers: \(echo)")
            return
        }
        #expect(ip.description == "172.18.2.2 > 172.18.2.1, ICMP, ttl 64, length 84")
        // The frame is 98 bytes; the packet's total length, not the frame, bounds the payload.
        #expect(ip.payload.count == 64)
        #expect(icmp.description == "echo request, id 27436, seq 0")
    }

    @Test func unknownProtocolsEndTheDecodingWithTheirName() throws {
        let layers = PacketLayer.decode(try hexFixture("frame-ipv6-mld.hex"))
        guard layers.count == 1, case .ethernet(let ethernet) = layers[0].header else {
            Issue.record("layers: \(layers)")
            return
        }
        #expect(ethernet.description == "f6:9c:64:72:d8:6d > 33:33:00:00:00:16, IPv6")
    }

    @Test func vlanTagsAreSkippedAndKept() throws {
        // A packet socket on a veth gets the tag apart (auxdata); a frame on the wire has it
        // after the source: the captured ARP request with an 802.1Q tag for VLAN 10 put in.
        var frame = try hexFixture("frame-arp-request.hex")
        frame.insert(contentsOf: [0x81, 0x00, 0x00, 0x0a], at: 12)
        let layers = PacketLayer.decode(frame)
        guard layers.count == 2, case .ethernet(let ethernet) = layers[0].header, case .arp = layers[1].header else {
            Issue.record("layers: \(layers)")
            return
        }
        #expect(ethernet.vlans == [10])
        #expect(ethernet.description == "e6:5f:54:4e:ae:a9 > ff:ff:ff:ff:ff:ff, vlan 10, ARP")
    }

    @Test("every cut of a real frame decodes without a trap, and says where it fell short", arguments: fixtures)
    func truncated(name: String) throws {
        let whole = try hexFixture("\(name).hex")
        let complete = PacketLayer.decode(whole)
        for length in 0..<whole.count {
            let layers = PacketLayer.decode(Array(whole.prefix(length)))
            #expect(layers.count <= complete.count + 1)
            if length < 14 { #expect(layers.map(\.header) == [.undecoded("Ethernet", reason: "\(length) bytes, shorter than a header")]) }
        }
        // The VXLAN frame cut inside its inner IPv4 header: the outer layers stand, the inner says why it stops.
        if name == "frame-vxlan-echo" {
            let layers = PacketLayer.decode(Array(whole.prefix(70)))
            #expect(layers.last?.header == .undecoded("IPv4", reason: "no valid header in 6 bytes"))
            #expect(layers.last?.depth == 1)
        }
    }

    @Test func garbageDecodesWithoutATrap() {
        var generator = SeededRandom(seed: 0x5eed_0f_f7a3e)
        for _ in 0..<2000 {
            let length = Int.random(in: 0...200, using: &generator)
            var bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            // Steer some toward the deep paths: IPv4, UDP to 8472, a plausible header length.
            if bytes.count > 50, Bool.random(using: &generator) {
                bytes[12] = 0x08; bytes[13] = 0x00; bytes[14] = 0x45; bytes[23] = 17; bytes[36] = 0x21; bytes[37] = 0x18
            }
            let layers = PacketLayer.decode(bytes)
            #expect(!layers.isEmpty)
            #expect(layers.allSatisfy { $0.depth <= 9 })
        }
        // Lengths that lie: an IPv4 total length below its header, a UDP length below 8,
        // a header length past the bytes.
        let ip: [UInt8] = [0x45, 0, 0, 10] + Array(repeating: 0, count: 16)
        #expect(IPv4Packet(ip) == nil)
        #expect(IPv4Packet([0x4f] + Array(repeating: 0, count: 30)) == nil)
        #expect(UDPDatagram([0, 1, 0, 2, 0, 4, 0, 0]) == nil)
        #expect(UDPDatagram([0, 1, 0, 2, 0xff, 0xff, 0, 0])?.payload == [])
        #expect(VXLANHeader([0x08, 0, 0, 0, 0, 0, 1]) == nil)
        #expect(ICMPMessage([8, 0, 0]) == nil)
        #expect(ARPPacket([0, 1, 8, 0, 6, 4, 0, 1]) == nil)
    }

    @Test func vxlanInVXLANStopsAtItsDepthBound() throws {
        // A crafted frame: the captured echo wrapped again and again in the same outer headers,
        // their lengths set, deeper than any network nests them.
        let whole = try hexFixture("frame-vxlan-echo.hex")
        var frame = Array(whole.suffix(from: 50))
        for _ in 0..<20 {
            var wrapper = Array(whole.prefix(50))
            let total = 36 + frame.count, udp = 16 + frame.count
            wrapper[16] = UInt8(total >> 8); wrapper[17] = UInt8(total & 0xff)
            wrapper[38] = UInt8(udp >> 8); wrapper[39] = UInt8(udp & 0xff)
            frame = wrapper + frame
        }
        let layers = PacketLayer.decode(frame)
        #expect(layers.count == 9 * 4 + 1)
        #expect(layers.last?.depth == 9)
        #expect(layers.last?.header == .undecoded("Ethernet", reason: "nested in more than 8 VXLAN headers"))
    }
}
