/// What a rule decides about a packet: the kernel's verdict codes (`NF_ACCEPT`, `NF_DROP`)
/// and nf_tables' own ones, negative, which move between chains.
public enum NFTVerdict: Sendable, Hashable, CustomStringConvertible {
    case accept
    case drop
    /// Go on with the next rule (what a rule without a verdict does).
    case `continue`
    /// Back to the rule after the jump that called this chain; at a base chain, its policy.
    case `return`
    /// Run the chain, then come back.
    case jump(String)
    /// Run the chain, and do not come back.
    case goto(String)
    /// Another code (queue, stolen, break), kept as it is.
    case code(Int32)

    /// `NF_DROP` 0, `NF_ACCEPT` 1, `NFT_CONTINUE` -1, `NFT_JUMP` -3, `NFT_GOTO` -4, `NFT_RETURN` -5.
    public var code: Int32 {
        switch self {
        case .drop: 0
        case .accept: 1
        case .continue: -1
        case .jump: -3
        case .goto: -4
        case .return: -5
        case .code(let code): code
        }
    }

    public init(code: Int32, chain: String? = nil) {
        self = switch code {
        case 0: .drop
        case 1: .accept
        case -1: .continue
        case -3: .jump(chain ?? "")
        case -4: .goto(chain ?? "")
        case -5: .return
        default: .code(code)
        }
    }

    /// The chain a jump or goto names.
    public var chain: String? {
        switch self {
        case .jump(let chain), .goto(let chain): chain
        default: nil
        }
    }

    /// `NFTA_DATA_VERDICT`'s attributes.
    var attributes: [NetlinkAttribute] {
        [.bigEndian(NFTA.Verdict.code, code)] + (chain.map { [.string(NFTA.Verdict.chain, $0)] } ?? [])
    }

    init(_ attributes: [NetlinkAttribute]) {
        self.init(code: attributes.first(NFTA.Verdict.code)?.bigEndianInteger() ?? 0, chain: attributes.first(NFTA.Verdict.chain)?.string)
    }

    /// `accept`, `jump DOCKER`: nft's words.
    public var description: String {
        switch self {
        case .accept: "accept"
        case .drop: "drop"
        case .continue: "continue"
        case .return: "return"
        case .jump(let chain): "jump \(chain)"
        case .goto(let chain): "goto \(chain)"
        case .code(let code): "verdict \(code)"
        }
    }
}
