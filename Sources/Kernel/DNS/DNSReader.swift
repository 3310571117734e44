/// A cursor over an untrusted datagram: every read is bounds-checked and throws instead of trapping.
struct DNSReader {
    let bytes: [UInt8]
    var offset: Int

    init(_ bytes: [UInt8], offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    mutating func byte(_ what: String) throws(DNSError) -> UInt8 {
        guard offset < bytes.count else { throw DNSError("the message ends at byte \(bytes.count) inside the \(what)") }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func uint16(_ what: String) throws(DNSError) -> UInt16 {
        UInt16(try byte(what)) << 8 | UInt16(try byte(what))
    }

    mutating func uint32(_ what: String) throws(DNSError) -> UInt32 {
        UInt32(try uint16(what)) << 16 | UInt32(try uint16(what))
    }

    mutating func bytes(_ count: Int, _ what: String) throws(DNSError) -> [UInt8] {
        guard count >= 0, count <= bytes.count - offset else {
            throw DNSError("the \(what) claims \(count) bytes at offset \(offset) but the message has \(bytes.count - offset) left")
        }
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }
}

/// Big-endian appends for the encoder.
extension Array where Element == UInt8 {
    mutating func appendDNS(_ value: UInt16) {
        append(UInt8(value >> 8))
        append(UInt8(value & 0xff))
    }

    mutating func appendDNS(_ value: UInt32) {
        appendDNS(UInt16(value >> 16))
        appendDNS(UInt16(value & 0xffff))
    }
}
