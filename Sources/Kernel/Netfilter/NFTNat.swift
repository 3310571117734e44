/// The `nat` expression: source or destination NAT to the address (and port) held in
/// registers, which immediates before it fill (`dnat to 172.17.0.2:80`).
public struct NFTNat: Sendable, Equatable {
    public enum Kind: UInt32, Sendable { case snat = 0, dnat = 1 }

    public var kind: Kind
    public var family: NetfilterFamily
    /// The registers of the lowest and highest address; one register for one address.
    public var addresses: ClosedRange<NFTRegister>?
    public var ports: ClosedRange<NFTRegister>?
    /// `NF_NAT_RANGE_*` beyond the two the registers imply (random, persistent…).
    public var flags: UInt32

    /// `NF_NAT_RANGE_MAP_IPS` and `NF_NAT_RANGE_PROTO_SPECIFIED`: the kernel sets them itself
    /// when the addresses or ports are given, and reports them in its dumps.
    static let impliedFlags: UInt32 = 1 | 2

    public init(_ kind: Kind, family: NetfilterFamily = .ip, addresses: ClosedRange<NFTRegister>?, ports: ClosedRange<NFTRegister>? = nil, flags: UInt32 = 0) {
        self.kind = kind
        self.family = family
        self.addresses = addresses
        self.ports = ports
        self.flags = flags
    }

    init?(_ data: [NetlinkAttribute]) {
        func register(_ type: UInt16) -> NFTRegister? { data.first(type)?.bigEndianInteger(UInt32.self).map(NFTRegister.init(rawValue:)) }
        guard let kind = data.first(NFTA.NAT.type)?.bigEndianInteger(UInt32.self).flatMap(Kind.init(rawValue:)),
              let family = data.first(NFTA.NAT.family)?.bigEndianInteger(UInt32.self) else { return nil }
        self.kind = kind
        self.family = NetfilterFamily(rawValue: UInt8(truncatingIfNeeded: family))
        addresses = register(NFTA.NAT.addressMin).map { $0...(register(NFTA.NAT.addressMax) ?? $0) }
        ports = register(NFTA.NAT.portMin).map { $0...(register(NFTA.NAT.portMax) ?? $0) }
        flags = (data.first(NFTA.NAT.flags)?.bigEndianInteger() ?? 0) & ~Self.impliedFlags
    }

    /// As nft sends it: one register where the range is one, and the ports flag with ports.
    var attributes: [NetlinkAttribute] {
        var attributes: [NetlinkAttribute] = [.bigEndian(NFTA.NAT.type, kind.rawValue), .bigEndian(NFTA.NAT.family, UInt32(family.rawValue))]
        if let addresses {
            attributes.append(.bigEndian(NFTA.NAT.addressMin, addresses.lowerBound.rawValue))
            if addresses.upperBound != addresses.lowerBound { attributes.append(.bigEndian(NFTA.NAT.addressMax, addresses.upperBound.rawValue)) }
        }
        if let ports {
            attributes.append(.bigEndian(NFTA.NAT.portMin, ports.lowerBound.rawValue))
            if ports.upperBound != ports.lowerBound { attributes.append(.bigEndian(NFTA.NAT.portMax, ports.upperBound.rawValue)) }
        }
        let flags = flags | (ports == nil ? 0 : 2)
        if flags != 0 { attributes.append(.bigEndian(NFTA.NAT.flags, flags)) }
        return attributes
    }
}
