/// A whole DNS message: header, question, answer, authority and additional sections (RFC 1035 §4.1).
public struct DNSMessage: Sendable, Hashable {
    public var header: DNSHeader
    public var questions: [DNSQuestion]
    public var answers: [DNSRecord]
    public var authorities: [DNSRecord]
    public var additionals: [DNSRecord]

    public init(header: DNSHeader, questions: [DNSQuestion] = [], answers: [DNSRecord] = [],
                authorities: [DNSRecord] = [], additionals: [DNSRecord] = []) {
        self.header = header
        self.questions = questions
        self.answers = answers
        self.authorities = authorities
        self.additionals = additionals
    }

    /// A query for one name and type, recursion desired, as dig and nslookup send it.
    public static func query(id: UInt16, name: DNSName, type: DNSType) -> DNSMessage {
        DNSMessage(header: DNSHeader(id: id), questions: [DNSQuestion(name: name, type: type)])
    }

    /// The wire form. Names are written whole (no compression), which every reader accepts.
    public func encoded() -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(512)
        bytes.appendDNS(header.id)
        bytes.appendDNS(header.flags)
        for count in [questions.count, answers.count, authorities.count, additionals.count] {
            bytes.appendDNS(UInt16(truncatingIfNeeded: count))
        }
        for question in questions { question.encode(into: &bytes) }
        for record in answers + authorities + additionals { record.encode(into: &bytes) }
        return bytes
    }

    /// Reads untrusted bytes. Counts are checked against what is left before anything is
    /// reserved (every question takes at least 5 bytes and every record 11), so a header
    /// claiming 65535 records costs nothing; bytes after the last record are ignored, as
    /// resolvers do.
    public init(decoding bytes: [UInt8]) throws(DNSError) {
        var reader = DNSReader(bytes)
        guard bytes.count >= 12 else { throw DNSError("a DNS message has a 12-byte header; this one has \(bytes.count) bytes") }
        let id = try reader.uint16("header")
        header = DNSHeader(id: id, flags: try reader.uint16("header"))
        let counts = [Int(try reader.uint16("header")), Int(try reader.uint16("header")),
                      Int(try reader.uint16("header")), Int(try reader.uint16("header"))]
        guard counts[0] * 5 + (counts[1] + counts[2] + counts[3]) * 11 <= bytes.count - 12 else {
            throw DNSError("the header counts \(counts[0]) questions and \(counts[1] + counts[2] + counts[3]) records, more than \(bytes.count) bytes can hold")
        }
        questions = []
        for _ in 0..<counts[0] { questions.append(try DNSQuestion.decode(&reader)) }
        var sections: [[DNSRecord]] = []
        for count in counts.dropFirst() {
            var records: [DNSRecord] = []
            for _ in 0..<count { records.append(try DNSRecord.decode(&reader)) }
            sections.append(records)
        }
        answers = sections[0]
        authorities = sections[1]
        additionals = sections[2]
    }
}
