/// A resource record (RFC 1035 §4.1.3); its data is kept as bytes, read as an address for A and AAAA.
public struct DNSRecord: Sendable, Hashable, CustomStringConvertible {
    public var name: DNSName
    public var type: DNSType
    public var `class`: DNSClass
    public var ttl: UInt32
    public var data: [UInt8]

    public init(name: DNSName, type: DNSType, class: DNSClass = .internet, ttl: UInt32, data: [UInt8]) {
        self.name = name
        self.type = type
        self.class = `class`
        self.ttl = ttl
        self.data = data
    }

    /// An A record for `address` (IPv4) or an AAAA record (IPv6).
    public init(name: DNSName, address: IPAddress, ttl: UInt32) {
        self.init(name: name, type: address.family == .inet ? .a : .aaaa, ttl: ttl, data: address.bytes)
    }

    /// The address an A or AAAA record holds; nil for other types or data of the wrong size.
    public var address: IPAddress? {
        guard (type == .a && data.count == 4) || (type == .aaaa && data.count == 16) else { return nil }
        return IPAddress(bytes: data)
    }

    /// `db.  600  IN  A  172.18.0.2`, dig's ANSWER SECTION line.
    public var description: String {
        let rendered = address.map { "\($0)" } ?? "\\# \(data.count) " + data.map { byte in
            let hex = String(byte, radix: 16, uppercase: true)
            return hex.count == 1 ? "0" + hex : hex
        }.joined()
        return "\(name)\t\t\(ttl)\t\(`class`)\t\(type)\t\(rendered)"
    }

    func encode(into bytes: inout [UInt8]) {
        name.encode(into: &bytes)
        bytes.appendDNS(type.rawValue)
        bytes.appendDNS(`class`.rawValue)
        bytes.appendDNS(ttl)
        bytes.appendDNS(UInt16(truncatingIfNeeded: data.count))
        bytes.append(contentsOf: data)
    }

    static func decode(_ reader: inout DNSReader) throws(DNSError) -> DNSRecord {
        let name = try DNSName.decode(&reader)
        let type = DNSType(rawValue: try reader.uint16("record type"))
        let recordClass = DNSClass(rawValue: try reader.uint16("record class"))
        let ttl = try reader.uint32("record TTL")
        let length = Int(try reader.uint16("record data length"))
        return DNSRecord(name: name, type: type, class: recordClass, ttl: ttl, data: try reader.bytes(length, "record data"))
    }
}
