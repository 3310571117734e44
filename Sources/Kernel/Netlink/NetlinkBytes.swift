/// Netlink carries integers in the byte order of the host that sends them, since both ends
/// are on one machine; only fields that go on the wire (ports, IP addresses) are big-endian.

/// Rounds `length` up to the 4-byte boundary every netlink header and attribute starts on.
func netlinkAligned(_ length: Int) -> Int {
    (length + 3) & ~3
}

extension Array where Element == UInt8 {
    /// Appends `value` in host byte order.
    mutating func appendInteger<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value) { append(contentsOf: $0) }
    }

    /// Appends zeros up to the next 4-byte boundary.
    mutating func padToAlignment() {
        append(contentsOf: repeatElement(0, count: netlinkAligned(count) - count))
    }
}

extension Collection where Element == UInt8, Index == Int {
    /// The host-order integer at `offset` bytes from the start, or nil when the bytes run out.
    func integer<T: FixedWidthInteger>(at offset: Int, as type: T.Type = T.self) -> T? {
        let start = startIndex + offset
        guard offset >= 0, start + MemoryLayout<T>.size <= endIndex else { return nil }
        var value = T.zero
        Swift.withUnsafeMutableBytes(of: &value) { raw in
            for byte in 0..<MemoryLayout<T>.size { raw[byte] = self[start + byte] }
        }
        return value
    }
}
