/// What a query asks: a name, a type and a class (RFC 1035 §4.1.2).
public struct DNSQuestion: Sendable, Hashable, CustomStringConvertible {
    public var name: DNSName
    public var type: DNSType
    public var `class`: DNSClass

    public init(name: DNSName, type: DNSType, class: DNSClass = .internet) {
        self.name = name
        self.type = type
        self.class = `class`
    }

    /// `;db.  IN  A`, dig's QUESTION SECTION line.
    public var description: String { ";\(name)\t\t\(`class`)\t\(type)" }

    func encode(into bytes: inout [UInt8]) {
        name.encode(into: &bytes)
        bytes.appendDNS(type.rawValue)
        bytes.appendDNS(`class`.rawValue)
    }

    static func decode(_ reader: inout DNSReader) throws(DNSError) -> DNSQuestion {
        let name = try DNSName.decode(&reader)
        return DNSQuestion(name: name, type: DNSType(rawValue: try reader.uint16("question type")),
                           class: DNSClass(rawValue: try reader.uint16("question class")))
    }
}
