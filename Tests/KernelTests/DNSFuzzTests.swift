import Kernel
import LabFuzz
import Testing

/// Thousands of seeded mutations of real DNS messages (Fixtures/dns-*.hex) thrown at the
/// decoder and the resolver's responder: bit flips, truncations, bytes spliced in, counts set
/// huge, names turned into compression pointers anywhere (loops among them). A trap ends the
/// test process; every message that decodes must read back the same from its own encoding.
@Suite("DNS codec under mutated packets")
struct DNSFuzzTests {
    static func mutate(_ bytes: [UInt8], _ random: inout SeededRandom) -> [UInt8] {
        var bytes = bytes
        for _ in 0..<Int.random(in: 1...4, using: &random) {
            let at = bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &random)
            switch Int.random(in: 0..<7, using: &random) {
            case 0 where !bytes.isEmpty: bytes[at] ^= 1 << UInt8.random(in: 0...7, using: &random)
            case 1: bytes = Array(bytes.prefix(at))
            case 2: bytes.insert(contentsOf: (0..<Int.random(in: 1...8, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }, at: at)
            case 3 where bytes.count >= 12:
                let count = 4 + 2 * Int.random(in: 0...3, using: &random)
                bytes[count] = 0xff
                bytes[count + 1] = UInt8.random(in: 0...255, using: &random)
            case 4 where at + 1 < bytes.count:
                // A compression pointer to anywhere, itself and later bytes included.
                let target = Int.random(in: 0..<max(bytes.count, 1), using: &random)
                bytes[at] = 0xc0 | UInt8(target >> 8 & 0x3f)
                bytes[at + 1] = UInt8(target & 0xff)
            case 5 where !bytes.isEmpty: bytes[at] = [0x3f, 0x40, 0x80, 0xff, 0x00][Int.random(in: 0..<5, using: &random)]
            default: bytes += bytes.suffix(Int.random(in: 0...16, using: &random))
            }
        }
        return bytes
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func mutatedMessages(seed: UInt64) throws {
        let fixtures = try ["busybox-query-a", "busybox-query-aaaa", "dnsmasq-answer-a"].map(dnsFixture)
        let records = DNSRecords(parsing: "db 172.18.0.2\nweb 172.18.0.3\n")
        var random = SeededRandom(seed: seed)
        var decoded = 0
        for index in 0..<3_000 {
            let packet = Self.mutate(fixtures[index % fixtures.count], &random)
            if let message = try? DNSMessage(decoding: packet) {
                decoded += 1
                #expect(try DNSMessage(decoding: message.encoded()) == message, "\(packet)")
            }
            if let response = DNSResponder.respond(to: packet, from: records) {
                #expect((try? DNSMessage(decoding: response))?.header.isResponse == true, "\(packet)")
            }
        }
        // The mutations must leave many packets readable, or the test would only exercise the first checks.
        #expect(decoded > 300)
    }
}
