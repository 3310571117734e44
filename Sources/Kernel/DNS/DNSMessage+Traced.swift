extension DNSMessage {
    /// How a trace shows a DNS datagram: `{id=4242, flags=rd, question=[db. IN A]}`, and for a
    /// response its status and answers too; bytes that are not a DNS message show why.
    public static func traced(_ bytes: [UInt8]) -> String {
        guard let message = try? DNSMessage(decoding: bytes) else { return "\"…\" /* not DNS: \(bytes.count) bytes */" }
        var parts = ["id=\(message.header.id)", "flags=\(message.header.flagWords)"]
        if message.header.isResponse { parts.append("status=\(message.header.responseCode)") }
        parts.append("question=[" + message.questions.map { "\($0.name) \($0.class) \($0.type)" }.joined(separator: ", ") + "]")
        if message.header.isResponse {
            parts.append("answer=[" + message.answers.map { record in
                "\(record.name) \(record.ttl) \(record.class) \(record.type) \(record.address.map { "\($0)" } ?? "…")"
            }.joined(separator: ", ") + "]")
        }
        return "{" + parts.joined(separator: ", ") + "}"
    }
}
