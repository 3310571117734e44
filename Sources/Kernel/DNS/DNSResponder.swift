/// The embedded resolver's answers, as Docker's gives them for a container's network: the
/// records it holds and nothing else. It never forwards a query, so no packet leaves the machine.
public enum DNSResponder {
    /// The TTL of every answer: Docker's embedded resolver gives 600 seconds.
    public static let ttl: UInt32 = 600

    /// The response to the datagram `query`, or nil when it is to be dropped (not a DNS
    /// query, or a response). A known name gets its A records (NOERROR with no answer for
    /// other types, as AAAA, which nslookup asks too); an unknown one REFUSED, as is one whose
    /// records' holders `isLive` says have all ended.
    public static func respond(to query: [UInt8], from records: DNSRecords,
                               isLive: (DNSRecords.Holder) -> Bool = { _ in true }) -> [UInt8]? {
        guard let message = try? DNSMessage(decoding: query), !message.header.isResponse else { return nil }
        var header = DNSHeader(id: message.header.id, isResponse: true, opcode: message.header.opcode,
                               recursionDesired: message.header.recursionDesired)
        guard message.header.opcode == 0 else {
            header.responseCode = .notImplemented
            return DNSMessage(header: header, questions: message.questions).encoded()
        }
        guard message.questions.count == 1, let question = message.questions.first else {
            header.responseCode = .formatError
            return DNSMessage(header: header).encoded()
        }
        guard question.class == .internet, let addresses = records.lookup(question.name, isLive: isLive) else {
            header.responseCode = .refused
            return DNSMessage(header: header, questions: [question]).encoded()
        }
        header.authoritative = true
        let answers = question.type == .a || question.type == .any
            ? addresses.map { DNSRecord(name: question.name, address: $0, ttl: ttl) } : []
        return DNSMessage(header: header, questions: [question], answers: answers).encoded()
    }
}
