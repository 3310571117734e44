import Kernel
import Testing
@testable import Lab

/// `capture`'s filter words, the `captured …` expectation as parsed, and the normalisation of
/// what varies in a capture's listing.
struct CaptureListingTests {
    /// A frame of the lab's: c2's echo request to c3 as node2's flannel.1 wraps it (VNI 1),
    /// and the same echo routed plainly.
    static let vxlanEcho = frame(outer: [0x08, 0x00], udp: (41234, 8472), vni: 1, icmp: 8)
    static let plainEcho = frame(outer: [0x08, 0x00], udp: nil, vni: nil, icmp: 8)
    static let arp: [UInt8] = Array(repeating: 0xff, count: 6) + [0x0e, 0, 0, 0, 0, 1, 0x08, 0x06, 0, 1, 0x08, 0, 6, 4, 0, 1]
        + [0x0e, 0, 0, 0, 0, 1, 192, 168, 32, 129] + [0, 0, 0, 0, 0, 0, 192, 168, 32, 130]

    /// Ethernet, IPv4, then ICMP of `icmp`'s type, wrapped in Ethernet, IPv4, UDP and VXLAN when given `udp`.
    static func frame(outer type: [UInt8], udp: (UInt16, UInt16)?, vni: UInt32?, icmp: UInt8) -> [UInt8] {
        func ipv4(_ protocolNumber: UInt8, _ source: [UInt8], _ destination: [UInt8], _ payload: [UInt8]) -> [UInt8] {
            let total = 20 + payload.count
            return [0x45, 0, UInt8(total >> 8), UInt8(total & 0xff), 0, 0, 0x40, 0, 64, protocolNumber, 0, 0] + source + destination + payload
        }
        let ethernet: [UInt8] = [0x0e, 0, 0, 0, 2, 0, 0x0e, 0, 0, 0, 1, 0] + type
        let inner = ethernet + ipv4(1, [172, 18, 1, 2], [172, 18, 2, 2], [icmp, 0, 0, 0, 0, 7, 0, 1])
        guard let udp, let vni else { return inner }
        let vxlan: [UInt8] = [0x08, 0, 0, 0, UInt8(vni >> 16), UInt8(vni >> 8 & 0xff), UInt8(vni & 0xff), 0] + inner
        let length = 8 + vxlan.count
        let datagram: [UInt8] = [UInt8(udp.0 >> 8), UInt8(udp.0 & 0xff), UInt8(udp.1 >> 8), UInt8(udp.1 & 0xff), UInt8(length >> 8), UInt8(length & 0xff), 0, 0] + vxlan
        return [0x0e, 0xaa, 0, 0, 0, 3, 0x0e, 0xaa, 0, 0, 0, 2, 0x08, 0x00] + ipv4(17, [192, 168, 32, 129], [192, 168, 32, 130], datagram)
    }

    static func matches(_ words: String, _ frame: [UInt8]) throws -> Bool {
        try CaptureFilter.parse(words.split(separator: " ").map(String.init)).matches(PacketLayer.decode(frame))
    }

    @Test func filterWordsMatchHeadersAtAnyDepth() throws {
        #expect(try Self.matches("", Self.arp))
        #expect(try Self.matches("arp", Self.arp))
        #expect(try !Self.matches("icmp", Self.arp))
        #expect(try Self.matches("icmp", Self.vxlanEcho))
        #expect(try Self.matches("icmp", Self.plainEcho))
        #expect(try Self.matches("vxlan", Self.vxlanEcho))
        #expect(try !Self.matches("vxlan", Self.plainEcho))
        #expect(try Self.matches("vxlan vni 1", Self.vxlanEcho))
        #expect(try !Self.matches("vxlan vni 2", Self.vxlanEcho))
        #expect(try Self.matches("udp port 8472", Self.vxlanEcho))
        #expect(try Self.matches("port 41234", Self.vxlanEcho))
        #expect(try !Self.matches("udp port 4789", Self.vxlanEcho))
        #expect(try !Self.matches("udp", Self.plainEcho))
        #expect(try Self.matches("vxlan and icmp", Self.vxlanEcho))
        #expect(try !Self.matches("vxlan and arp", Self.vxlanEcho))
    }

    @Test("bad filters name the word and the filter language", arguments: [
        ("tcp", "'tcp' is not a filter word BoxLab knows"),
        ("udp port", "port needs a number"),
        ("udp port 70000", "'70000' is not a port (0 to 65535)"),
        ("vxlan vni x", "'x' is not a vni (0 to 16777215)"),
        ("icmp arp", "'arp' after a filter word: join them with and"),
        ("icmp and", "'and' after a filter word: join them with and"),
    ])
    func badFilter(words: String, message: String) {
        do {
            _ = try CaptureFilter.parse(words.split(separator: " ").map(String.init))
            Issue.record("\(words) was accepted")
        } catch {
            #expect(error.message == message)
            #expect(error.cause == "a filter is " + CaptureFilter.form)
        }
    }

    @Test func listingShowsEachHeaderOuterToInner() {
        let frame = CapturedFrame(bytes: Self.vxlanEcho, length: Self.vxlanEcho.count, direction: .incoming(.host), linkIndex: 2)
        #expect(CaptureListing.render(1, frame, on: "node3:eth0") == """
            1  node3:eth0 in  92 bytes
               Ethernet  0e:aa:00:00:00:02 > 0e:aa:00:00:00:03, IPv4
               IPv4      192.168.32.129 > 192.168.32.130, UDP, ttl 64, length 78
               UDP       41234 > 8472, length 50
               VXLAN     flags [I], VNI 1
                 Ethernet  0e:00:00:00:01:00 > 0e:00:00:00:02:00, IPv4
                 IPv4      172.18.1.2 > 172.18.2.2, ICMP, ttl 64, length 28
                 ICMP      echo request, id 7, seq 1

            """)
        #expect(CaptureListing.summary(PacketLayer.decode(Self.vxlanEcho)) == "192.168.32.129 > 192.168.32.130 UDP to port 8472 VXLAN VNI 1 carrying 172.18.1.2 > 172.18.2.2 ICMP echo request, id 7, seq 1")
        let cut = CapturedFrame(bytes: Array(Self.vxlanEcho.prefix(30)), length: 92, direction: .outgoing, linkIndex: 2)
        #expect(CaptureListing.render(12, cut, on: "eth0") == """
            12  eth0 out 92 bytes
                Ethernet  0e:aa:00:00:00:02 > 0e:aa:00:00:00:03, IPv4
                IPv4      [no valid header in 16 bytes]

            """)
    }

    @Test func normalizesTheFlowHashPortAndTheEchoIdentifier() {
        let listing = """
               UDP       41234 > 8472, length 114
               UDP       8472 > 60999, length 114
               UDP       53 > 1024, length 40
                 ICMP      echo request, id 4242, seq 1
            """
        #expect(TranscriptNormalizer.normalize(listing) == """
               UDP       <port> > 8472, length 114
               UDP       8472 > <port>, length 114
               UDP       53 > 1024, length 40
                 ICMP      echo request, id <id>, seq 1
            """)
        #expect(TranscriptNormalizer.normalize("  recvfrom(4, …, 65536, MSG_TRUNC, {sll_family=AF_PACKET, sll_ifindex=2, …}, [20]) = 42, 103, -1 EAGAIN (Resource temporarily unavailable) /* 3 calls */")
            == "  recvfrom(<fd>, …, 65536, MSG_TRUNC, {sll_family=AF_PACKET, sll_ifindex=2, …}, [20]) = <frames>")
    }

    @Test func parsesTheCapturedExpectation() throws {
        let want = CaptureExpectation(vni: 1, from: "c2", address: "172.18.2.2", namespace: "node3", link: "eth0")
        #expect(try ExpectationParser.parse("captured vxlan vni 1 inner icmp from c2 to 172.18.2.2 on node3:eth0") == .captured(want))
        #expect(try ExpectationParser.parse("not captured vxlan vni 1 inner icmp from c2 to 172.18.2.2 on node3:eth0") == .not(.captured(want)))
        #expect(ExpectationParser.forms.contains(CaptureExpectation.form))
    }

    @Test("bad captured expectations say what was expected", arguments: [
        ("captured", "captured knows one kind of frame: vxlan"),
        ("captured udp vni 1", "captured knows one kind of frame: vxlan"),
        ("captured vxlan 1", "after vxlan, expected vni"),
        ("captured vxlan vni x", "the VNI is a number from 0 to 16777215"),
        ("captured vxlan vni 16777216 inner icmp", "the VNI is a number from 0 to 16777215"),
        ("captured vxlan vni 1 icmp", "after vni 1, expected inner"),
        ("captured vxlan vni 1 inner udp", "after inner, expected icmp"),
        ("captured vxlan vni 1 inner icmp c2", "after icmp, expected from"),
        ("captured vxlan vni 1 inner icmp from", "after from, expected the namespace the echo is sent from"),
        ("captured vxlan vni 1 inner icmp from c2 172.18.2.2", "after from c2, expected to"),
        ("captured vxlan vni 1 inner icmp from c2 to c3", "after to, expected an IPv4 address"),
        ("captured vxlan vni 1 inner icmp from c2 to 172.18.2.2 node3:eth0", "after to 172.18.2.2, expected on"),
        ("captured vxlan vni 1 inner icmp from c2 to 172.18.2.2 on", "after on, expected NS:LINK"),
        ("captured vxlan vni 1 inner icmp from c2 to 172.18.2.2 on eth0", "'eth0' is not NS:LINK (node3:eth0)"),
        ("captured vxlan vni 1 inner icmp from c2 to 172.18.2.2 on node3: ", "'node3:' is not NS:LINK (node3:eth0)"),
        ("captured vxlan vni 1 inner icmp from c2 to 172.18.2.2 on node3:eth0 now", "'now' after NS:LINK"),
    ])
    func badExpectation(line: String, message: String) {
        do {
            _ = try ExpectationParser.parse(line)
            Issue.record("\(line) was accepted")
        } catch {
            #expect(error.description == message + " (expected: \(CaptureExpectation.form))")
        }
    }
}
