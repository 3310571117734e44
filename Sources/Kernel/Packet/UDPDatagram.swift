/// A UDP header (RFC 768) and its data, cut at the header's length.
public struct UDPDatagram: Sendable, Equatable, CustomStringConvertible {
    public var sourcePort: UInt16
    public var destinationPort: UInt16
    /// Header and data, as the header says.
    public var length: Int
    public var payload: [UInt8]

    /// The datagram in `bytes`, or nil when they hold no 8-byte header or its length is less than 8.
    public init?(_ bytes: [UInt8]) {
        guard let source = bytes.bigEndian16(at: 0), let destination = bytes.bigEndian16(at: 2),
              let length = bytes.bigEndian16(at: 4).map(Int.init), length >= 8, bytes.count >= 8 else { return nil }
        sourcePort = source
        destinationPort = destination
        self.length = length
        payload = bytes.bytes(from: 8, upTo: length)
    }

    /// `41234 > 8472, length 114` (the data's length, as tcpdump gives it).
    public var description: String { "\(sourcePort) > \(destinationPort), length \(length - 8)" }
}
