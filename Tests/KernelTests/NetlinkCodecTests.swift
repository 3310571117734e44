import Kernel
import Testing

/// The netlink layer itself: headers, attribute alignment and nesting, flag names, errors.
@Suite struct NetlinkCodecTests {
    @Test func attributesArePaddedButTheirLengthIsNot() throws {
        let message = NetlinkMessage(type: .getLink, flags: .request, payload: .link(LinkMessage(attributes: [
            NetlinkAttribute(type: 3, payload: Array("vA\0".utf8)),
            NetlinkAttribute(type: 4, payload: [0xdc, 0x05, 0, 0]),
        ])))
        let bytes = message.encoded()
        #expect(bytes.count == 16 + 16 + 8 + 8)
        #expect(bytes[0..<4] == [48, 0, 0, 0])
        #expect(bytes[32..<40] == [7, 0, 3, 0, 0x76, 0x41, 0, 0], "length 7, then one byte of padding")
        #expect(try NetlinkMessage.decode(bytes) == [message])
    }

    @Test func messageLengthExcludesTrailingPadding() throws {
        let message = NetlinkMessage(type: NetlinkMessageType(rawValue: 99), flags: .request, payload: .other([1, 2, 3]))
        let bytes = message.encoded()
        #expect(bytes.count == 20)
        #expect(bytes[0] == 19)
        #expect(try NetlinkMessage.decode(bytes + bytes).count == 2)
    }

    @Test func nestedAttributesRoundTrip() throws {
        let decoded = try NetlinkMessage.decode(try NetlinkFixture("vxlan-add").request)
        #expect(decoded.map { $0.encoded() } == [try NetlinkFixture("vxlan-add").request])
        guard case .link(let link)? = decoded.first?.payload else { Issue.record("not a link"); return }
        let info = try #require(link.linkInfo)
        #expect(info.kind == "vxlan")
        #expect(info.data.map(\.type) == [3, 1, 4, 2, 7, 15])
        #expect(info.data[1].integer(UInt32.self) == 42)
        #expect(info.data[5].payload == [0x12, 0xb5], "the port is big-endian: 4789")
    }

    @Test func everyFixtureRoundTrips() throws {
        for name in ["dump-links", "dump-addresses", "dump-routes", "dump-neighbours", "dump-fdb", "dummy-add", "link-add-exists"] {
            let fixture = try NetlinkFixture(name)
            for datagram in fixture.received + fixture.sent {
                let messages = try NetlinkMessage.decode(datagram)
                let encoded = messages.flatMap { $0.encoded() }
                // iproute2 sends some requests in a larger zero-filled buffer.
                #expect(encoded == Array(datagram.prefix(encoded.count)), "\(name)")
                #expect(datagram.dropFirst(encoded.count).allSatisfy { $0 == 0 })
            }
        }
    }

    @Test func flagsAreNamedForTheKindOfMessage() {
        let bits: NetlinkFlags = [.request, .ack, .create, .exclusive]
        #expect(bits.description(for: .newLink) == "REQUEST|ACK|CREATE|EXCL")
        #expect(NetlinkFlags([.request, .dump]).description(for: .getRoute) == "REQUEST|DUMP")
        #expect(NetlinkFlags(rawValue: 0x101).description(for: .getLink) == "REQUEST|ROOT")
        #expect(NetlinkFlags(rawValue: 0x101).description(for: .newLink) == "REQUEST|REPLACE")
        #expect(NetlinkFlags(rawValue: 0x101).description(for: .deleteLink) == "REQUEST|NONREC")
        #expect(NetlinkFlags(rawValue: 0x300).description(for: .error) == "CAPPED|ACK_TLVS")
        #expect(NetlinkFlags(rawValue: 0x8000).description(for: .newLink) == "0x8000")
        #expect(NetlinkMessageType(rawValue: 99).description == "NLMSG_99")
    }

    @Test func truncatedInputIsRefused() throws {
        let request = try NetlinkFixture("veth-add").request
        #expect(throws: NetlinkDecodingError.self) { try NetlinkMessage.decode(Array(request.dropLast(8))) }
        var badAttribute = request
        badAttribute[32] = 0xff
        #expect(throws: NetlinkDecodingError.self) { try NetlinkMessage.decode(badAttribute) }
        #expect(throws: NetlinkDecodingError.self) { try NetlinkMessage.decode([20, 0, 0, 0, 16, 0] + [UInt8](repeating: 0, count: 14)) }
    }

    @Test func addressesParseAndPrint() throws {
        #expect(IPAddress("10.0.0.1")?.bytes == [10, 0, 0, 1])
        #expect(IPAddress("fd00:0:0::1")?.description == "fd00::1")
        #expect(IPAddress("10.0.0") == nil)
        #expect(IPPrefix("10.0.0.1/24")?.length == 24)
        #expect(IPPrefix("10.0.0.1")?.length == 32)
        #expect(IPPrefix("fd00::/129") == nil)
        #expect(IPPrefix("10.0.0.1/x") == nil)
        #expect(IPAddress("239.1.1.1")!.isMulticast)
        #expect(!IPAddress("10.1.1.2")!.isMulticast)
        #expect(MACAddress("02:00:00:00:00:0A")?.description == "02:00:00:00:00:0a")
        #expect(MACAddress("02:00:00:00:00") != nil, "other link types have other lengths")
        #expect(MACAddress("02:00:00:00:00:0") == nil)
        #expect(MACAddress("") == nil)
    }
}
