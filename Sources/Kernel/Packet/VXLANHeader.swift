/// A VXLAN header (RFC 7348): 8 bytes in a UDP datagram, then a whole Ethernet frame, the
/// one a VTEP (a vxlan link) wraps to carry it across an IP network.
public struct VXLANHeader: Sendable, Equatable, CustomStringConvertible {
    public var flags: UInt8
    /// The VXLAN Network Identifier: which overlay network the inner frame belongs to (24 bits).
    public var vni: UInt32
    /// The inner Ethernet frame.
    public var payload: [UInt8]

    /// The ports VXLAN is recognised on: Linux's first (8472, which flannel keeps) and IANA's.
    public static let ports: Set<UInt16> = [8472, 4789]

    /// The header in `bytes`, or nil when they hold less than 8 bytes.
    public init?(_ bytes: [UInt8]) {
        guard bytes.count >= 8, let flags = bytes.byte(at: 0), let vni = bytes.bytes(at: 4, count: 3) else { return nil }
        self.flags = flags
        self.vni = UInt32(vni[0]) << 16 | UInt32(vni[1]) << 8 | UInt32(vni[2])
        payload = bytes.bytes(from: 8, upTo: bytes.count)
    }

    /// The I flag: the VNI is valid (RFC 7348 requires it set).
    public var vniIsValid: Bool { flags & 0x08 != 0 }

    /// `flags [I], VNI 1`.
    public var description: String { "flags [\(vniIsValid ? "I" : ".")], VNI \(vni)" }
}
