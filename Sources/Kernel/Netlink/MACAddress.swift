/// A link-layer address (`IFLA_ADDRESS`, `NDA_LLADDR`): six bytes on Ethernet, veth,
/// bridges and VXLAN; other link types have other lengths, so any length is kept.
public struct MACAddress: Sendable, Hashable, CustomStringConvertible, LosslessStringConvertible {
    public let bytes: [UInt8]

    public init(bytes: [UInt8]) { self.bytes = bytes }

    /// Parses `02:00:00:00:00:01`.
    public init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        let bytes = parts.compactMap { $0.count == 2 ? UInt8($0, radix: 16) : nil }
        guard !parts.isEmpty, bytes.count == parts.count else { return nil }
        self.bytes = bytes
    }

    /// `02:00:00:00:00:01`.
    public var description: String {
        bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined(separator: ":")
    }
}
