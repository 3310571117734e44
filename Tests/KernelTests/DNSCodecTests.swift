import Kernel
import Testing

/// The bytes of a Fixtures/dns-*.hex file.
func dnsFixture(_ name: String) throws -> [UInt8] {
    try hexFixture("dns-\(name).hex")
}

/// The bytes of a Fixtures/*.hex file: hex words, `#` lines are comments.
func hexFixture(_ file: String) throws -> [UInt8] {
    var bytes: [UInt8] = []
    for line in try fixture(file).split(separator: "\n") where !line.hasPrefix("#") {
        for word in line.split(separator: " ") {
            var hex = Substring(word)
            while !hex.isEmpty {
                bytes.append(try #require(UInt8(hex.prefix(2), radix: 16)))
                hex = hex.dropFirst(2)
            }
        }
    }
    return bytes
}

/// The DNS codec against what busybox nslookup sent and dnsmasq answered (Fixtures/dns-*.hex),
/// and the embedded resolver's answers to those queries.
@Suite struct DNSCodecTests {
    static let db = DNSName("db")!

    @Test func busyboxQueriesDecode() throws {
        let a = try DNSMessage(decoding: try dnsFixture("busybox-query-a"))
        #expect(a.header.id == 0xdde2)
        #expect(!a.header.isResponse && a.header.recursionDesired && a.header.opcode == 0)
        #expect(a.questions == [DNSQuestion(name: Self.db, type: .a)])
        #expect(a.answers.isEmpty && a.authorities.isEmpty && a.additionals.isEmpty)
        let aaaa = try DNSMessage(decoding: try dnsFixture("busybox-query-aaaa"))
        #expect(aaaa.questions.map(\.type) == [.aaaa])
    }

    @Test("a query BoxLab makes is busybox's, byte for byte")
    func queryEncodesAsBusyboxSendsIt() throws {
        #expect(DNSMessage.query(id: 0xdde2, name: Self.db, type: .a).encoded() == (try dnsFixture("busybox-query-a")))
        #expect(DNSMessage.query(id: 0x67e9, name: DNSName("db.")!, type: .aaaa).encoded() == (try dnsFixture("busybox-query-aaaa")))
    }

    @Test("dnsmasq's answer: flags, and names given as compression pointers")
    func dnsmasqAnswerDecodes() throws {
        let answer = try DNSMessage(decoding: try dnsFixture("dnsmasq-answer-a"))
        #expect(answer.header.flagWords == "qr aa rd ra")
        #expect(answer.header.responseCode == .noError)
        #expect(answer.answers.map(\.name) == [Self.db, Self.db])
        #expect(answer.answers.compactMap(\.address) == [IPAddress("172.18.0.2")!, IPAddress("172.18.0.3")!])
        #expect(answer.answers.first?.description == "db.\t\t0\tIN\tA\t172.18.0.2")
        // Written back without compression, it reads the same.
        #expect(try DNSMessage(decoding: answer.encoded()) == answer)
    }

    @Test func responderAnswersAKnownName() throws {
        let records = DNSRecords(parsing: "db 172.18.0.2\n")
        let response = try DNSMessage(decoding: try #require(DNSResponder.respond(to: try dnsFixture("busybox-query-a"), from: records)))
        #expect(response.header.id == 0xdde2 && response.header.isResponse && response.header.recursionDesired)
        #expect(response.header.responseCode == .noError)
        #expect(response.questions == [DNSQuestion(name: Self.db, type: .a)])
        #expect(response.answers == [DNSRecord(name: Self.db, address: IPAddress("172.18.0.2")!, ttl: 600)])
    }

    @Test("AAAA for a known name: NOERROR and no answer, so nslookup prints the A answer alone")
    func responderHasNoAAAA() throws {
        let records = DNSRecords(parsing: "db 172.18.0.2\n")
        let response = try DNSMessage(decoding: try #require(DNSResponder.respond(to: try dnsFixture("busybox-query-aaaa"), from: records)))
        #expect(response.header.responseCode == .noError)
        #expect(response.answers.isEmpty)
    }

    @Test func responderRefusesUnknownNamesAndDropsNonQueries() throws {
        let query = try dnsFixture("busybox-query-a")
        let refused = try DNSMessage(decoding: try #require(DNSResponder.respond(to: query, from: DNSRecords(parsing: "web 10.0.0.1"))))
        #expect(refused.header.responseCode == .refused)
        #expect(refused.answers.isEmpty)
        #expect(DNSResponder.respond(to: try dnsFixture("dnsmasq-answer-a"), from: DNSRecords()) == nil)
        #expect(DNSResponder.respond(to: Array(query.prefix(11)), from: DNSRecords()) == nil)
    }

    @Test("names match case-insensitively, with or without the trailing dot")
    func caseInsensitive() throws {
        let records = DNSRecords(parsing: "DB.backend. 172.18.0.2\n")
        let query = DNSMessage.query(id: 7, name: DNSName("db.BACKEND")!, type: .a).encoded()
        let response = try DNSMessage(decoding: try #require(DNSResponder.respond(to: query, from: records)))
        #expect(response.answers.compactMap(\.address) == [IPAddress("172.18.0.2")!])
        // The answer names the name as it was asked (RFC 4343 §4.1).
        #expect(response.answers.first?.name.description == "db.BACKEND.")
    }

    @Test func recordsFile() {
        let records = DNSRecords(parsing: """
            # containers of network backend
            db 172.18.0.2
            db 172.18.0.3   # a second address

            web\t172.18.0.4
            web fd00::4
            nameonly
            api 172.18.0.5 4242:
            """, file: "backend.records")
        #expect(records.lookup(DNSName("DB")!) == [IPAddress("172.18.0.2")!, IPAddress("172.18.0.3")!])
        #expect(records.lookup(DNSName("web")!) == [IPAddress("172.18.0.4")!])
        #expect(records.lookup(DNSName("client")!) == nil)
        #expect(records.problems == [
            "backend.records:6: expected NAME IPV4-ADDRESS [PID:START-TIME], got 'web fd00::4'",
            "backend.records:7: expected NAME IPV4-ADDRESS [PID:START-TIME], got 'nameonly'",
            "backend.records:8: expected NAME IPV4-ADDRESS [PID:START-TIME], got 'api 172.18.0.5 4242:'",
        ])
    }

    /// A record whose holder has ended is not answered: the name goes with its container.
    @Test func recordsOfEndedHoldersAreNotAnswered() throws {
        let records = DNSRecords(parsing: """
            db 172.18.0.2 100:5000
            db 172.18.0.3 101:6000
            web 172.18.0.4 102:7000
            """)
        let running = DNSRecords.Holder(pid: 100, startTime: 5000)
        #expect(records.lookup(DNSName("db")!, isLive: { $0 == running }) == [IPAddress("172.18.0.2")!])
        #expect(records.lookup(DNSName("web")!, isLive: { $0 == running }) == nil)
        #expect(records.lookup(DNSName("web")!) == [IPAddress("172.18.0.4")!])
        let query = DNSMessage.query(id: 9, name: DNSName("web")!, type: .a).encoded()
        let refused = try DNSMessage(decoding: try #require(DNSResponder.respond(to: query, from: records, isLive: { $0 == running })))
        #expect(refused.header.responseCode == .refused && refused.answers.isEmpty)
    }

    @Test("malformed messages fail with a sentence, not a trap")
    func errors() throws {
        let query = try dnsFixture("busybox-query-a")
        #expect(throws: DNSError("a DNS message has a 12-byte header; this one has 5 bytes")) { try DNSMessage(decoding: Array(query.prefix(5))) }
        #expect(throws: DNSError("the message ends at byte 18 inside the question class")) { try DNSMessage(decoding: Array(query.prefix(18))) }
        // A name that is a pointer to itself.
        var loop = Array(query.prefix(12)) + [0xc0, 0x0c, 0, 1, 0, 1]
        #expect(throws: DNSError("the compression pointer at offset 12 points to 12, not before 12: it could loop")) { try DNSMessage(decoding: loop) }
        // Two names pointing at each other: the second's pointer goes back to the first, whose pointer goes forward.
        loop = Array(query.prefix(12)) + [0x01, 0x61, 0xc0, 0x14, 0, 1, 0, 1, 0x01, 0x62, 0xc0, 0x0c]
        loop[5] = 1
        #expect(throws: DNSError.self) { try DNSMessage(decoding: loop) }
        var huge = query
        huge[6] = 0xff
        huge[7] = 0xff
        #expect(throws: DNSError("the header counts 1 questions and 65535 records, more than 20 bytes can hold")) { try DNSMessage(decoding: huge) }
        let reserved = Array(query.prefix(12)) + [0x80, 0, 0, 1, 0, 1]
        #expect(throws: DNSError("the label at offset 12 has the reserved type bits 2")) { try DNSMessage(decoding: reserved) }
    }

    @Test func namesPrintAsDigPrintsThem() {
        #expect(DNSName(labels: []).description == ".")
        #expect(DNSName(labels: [Array("a.b".utf8), [0x00, 0x7a]]).description == "a\\046b.\\000z.")
        #expect(DNSName("") == DNSName(labels: []))
        #expect(DNSName("a..b") == nil)
        #expect(DNSName(String(repeating: "x", count: 64)) == nil)
        #expect(DNSType("aaaa") == .aaaa && DNSType("TYPE65")?.description == "TYPE65" && DNSType("bogus") == nil)
    }
}
