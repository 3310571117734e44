/// Reads of a received frame's header fields that cannot trap: a field that the bytes do
/// not reach is nil, because a frame is whatever the link carried (cut, garbage, hostile).
extension Array where Element == UInt8 {
    /// The byte at `offset`, if there is one.
    func byte(at offset: Int) -> UInt8? {
        indices.contains(offset) ? self[offset] : nil
    }

    /// The 16-bit big-endian (network order) number at `offset`.
    func bigEndian16(at offset: Int) -> UInt16? {
        guard offset >= 0, offset <= count - 2 else { return nil }
        return UInt16(self[offset]) << 8 | UInt16(self[offset + 1])
    }

    /// `length` bytes from `offset`.
    func bytes(at offset: Int, count length: Int) -> [UInt8]? {
        guard offset >= 0, length >= 0, offset <= count - length else { return nil }
        return Array(self[offset..<offset + length])
    }

    /// The bytes from `offset` to `end` (or the end of the array, if that comes first).
    func bytes(from offset: Int, upTo end: Int) -> [UInt8] {
        let upper = Swift.min(Swift.max(end, 0), count)
        guard offset >= 0, offset < upper else { return [] }
        return Array(self[offset..<upper])
    }
}
