/// `NFTA_DATA_*`: what an immediate puts in a register, or what a comparison or mask holds:
/// bytes, or a verdict.
public enum NFTData: Sendable, Equatable {
    case value([UInt8])
    case verdict(NFTVerdict)

    var attributes: [NetlinkAttribute] {
        switch self {
        case .value(let bytes): [NetlinkAttribute(type: NFTA.Data.value, payload: bytes)]
        case .verdict(let verdict): [.marked(NFTA.Data.verdict, verdict.attributes)]
        }
    }

    init(_ attributes: [NetlinkAttribute]) {
        if let verdict = attributes.first(NFTA.Data.verdict) {
            self = .verdict(NFTVerdict(verdict.children ?? []))
        } else {
            self = .value(attributes.first(NFTA.Data.value)?.payload ?? [])
        }
    }
}
