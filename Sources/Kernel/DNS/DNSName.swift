/// A domain name as its labels (RFC 1035 §3.1), read with compression pointers (§4.1.4).
public struct DNSName: Sendable, Hashable, CustomStringConvertible {
    /// Each label's bytes, without the root's empty label.
    public var labels: [[UInt8]]

    public init(labels: [[UInt8]]) {
        self.labels = labels
    }

    /// `db`, `db.`, `web.frontend`: dot-separated labels; a trailing dot is optional. Nil when a
    /// label is empty or longer than 63 bytes, or the whole name longer than 255.
    public init?(_ text: String) {
        let trimmed = text.hasSuffix(".") ? String(text.dropLast()) : text
        let labels = trimmed.isEmpty ? [] : trimmed.split(separator: ".", omittingEmptySubsequences: false).map { Array($0.utf8) }
        guard labels.allSatisfy({ (1...63).contains($0.count) }), labels.reduce(1, { $0 + $1.count + 1 }) <= 255 else { return nil }
        self.labels = labels
    }

    /// The name with ASCII letters in lower case: names compare case-insensitively (RFC 4343).
    public var lowercased: DNSName {
        DNSName(labels: labels.map { $0.map { (0x41...0x5a).contains($0) ? $0 | 0x20 : $0 } })
    }

    /// `db.`, as dig prints names: fully qualified, with `.` and unprintable bytes escaped as `\DDD`.
    public var description: String {
        if labels.isEmpty { return "." }
        return labels.map { label in
            label.map { byte in
                guard byte == 0x2e || byte == 0x5c || byte < 0x21 || byte > 0x7e else { return String(UnicodeScalar(byte)) }
                let digits = String(byte)
                return "\\" + String(repeating: "0", count: 3 - digits.count) + digits
            }.joined()
        }.joined(separator: ".") + "."
    }

    func encode(into bytes: inout [UInt8]) {
        for label in labels {
            bytes.append(UInt8(label.count))
            bytes.append(contentsOf: label)
        }
        bytes.append(0)
    }

    /// Reads a name at the reader's offset, following compression pointers. Each pointer must
    /// point before where the name (or the last pointer's target) began, as an encoder's
    /// pointers to names written earlier do: the offsets fall with each jump, so a loop is
    /// impossible. The name may not exceed 255 bytes (RFC 1035 §2.3.4).
    static func decode(_ reader: inout DNSReader) throws(DNSError) -> DNSName {
        var labels: [[UInt8]] = []
        var length = 1
        var cursor = reader
        var jumped = false
        var floor = reader.offset
        while true {
            let start = cursor.offset
            let count = try cursor.byte("name")
            switch count & 0xc0 {
            case 0x00:
                if count == 0 {
                    if !jumped { reader.offset = cursor.offset }
                    return DNSName(labels: labels)
                }
                length += Int(count) + 1
                guard length <= 255 else { throw DNSError("the name at offset \(reader.offset) is longer than 255 bytes") }
                labels.append(try cursor.bytes(Int(count), "label"))
            case 0xc0:
                let target = Int(count & 0x3f) << 8 | Int(try cursor.byte("compression pointer"))
                guard target < floor else {
                    throw DNSError("the compression pointer at offset \(start) points to \(target), not before \(floor): it could loop")
                }
                floor = target
                if !jumped { reader.offset = cursor.offset }
                jumped = true
                cursor.offset = target
            default:
                throw DNSError("the label at offset \(start) has the reserved type bits \(count >> 6)")
            }
        }
    }
}
