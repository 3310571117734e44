/// One expression of a rule, as the kernel's `struct nft_expr_ops` names them (`NFTA_EXPR_NAME`)
/// with its own attributes (`NFTA_EXPR_DATA`). Integers in the kernel's attributes are
/// big-endian; the bytes a comparison holds are the packet's (or the kernel's) as they are.
public enum NFTExpression: Sendable, Equatable {
    /// `payload`: loads `length` bytes from `offset` within a header of the packet.
    case payload(base: PayloadBase, offset: UInt32, length: UInt32, into: NFTRegister)
    /// `meta`: loads something known about the packet (its interfaces, protocol, mark).
    case meta(NFTMetaKey, into: NFTRegister)
    /// `ct`: loads the packet's connection tracking state (state, status, mark…).
    case conntrack(NFTConntrackKey, into: NFTRegister)
    /// `cmp`: ends the rule unless the register compares true with `data`.
    case compare(CompareOperator, NFTRegister, [UInt8])
    /// `bitwise`: `into = (source & mask) ^ xor`, over `mask.count` bytes.
    case bitwise(NFTRegister, into: NFTRegister, mask: [UInt8], xor: [UInt8])
    /// `immediate`: puts a value in a register, or a verdict in the verdict register.
    case immediate(NFTRegister, NFTData)
    /// `nat`: rewrites the source (snat) or destination (dnat) to the address and port in registers.
    case nat(NFTNat)
    /// `masq`: source NAT to the address of the interface the packet leaves by.
    case masquerade(flags: UInt32 = 0, ports: ClosedRange<NFTRegister>? = nil)
    /// `counter`: counts packets and bytes that reach it.
    case counter(packets: UInt64 = 0, bytes: UInt64 = 0)
    /// An expression BoxLab does not read (iptables-nft's xtables `match` and `target`,
    /// `lookup`…), with its attributes.
    case other(name: String, attributes: [NetlinkAttribute])

    /// The verdict a rule ends with: `[accept]`, `[jump DOCKER]`.
    public static func verdict(_ verdict: NFTVerdict) -> NFTExpression {
        .immediate(.verdict, .verdict(verdict))
    }

    /// `NFT_PAYLOAD_*_HEADER`.
    public enum PayloadBase: UInt32, Sendable {
        case link = 0, network = 1, transport = 2, inner = 3
    }

    /// `NFT_CMP_*`.
    public enum CompareOperator: UInt32, Sendable, CustomStringConvertible {
        case equal = 0, notEqual, less, lessOrEqual, greater, greaterOrEqual

        public var description: String { ["==", "!=", "<", "<=", ">", ">="][Int(rawValue)] }
    }

    /// The expression's name, nft's and the kernel's.
    public var name: String {
        switch self {
        case .payload: "payload"
        case .meta: "meta"
        case .conntrack: "ct"
        case .compare: "cmp"
        case .bitwise: "bitwise"
        case .immediate: "immediate"
        case .nat: "nat"
        case .masquerade: "masq"
        case .counter: "counter"
        case .other(let name, _): name
        }
    }

    /// `NFTA_EXPR_NAME` and `NFTA_EXPR_DATA`, each expression's attributes in the order nft
    /// sends them; a counter's zeros too when `explicitCounters` (as iptables-nft sends them).
    func attributes(explicitCounters: Bool = false) -> [NetlinkAttribute] {
        let data: [NetlinkAttribute] = switch self {
        case .payload(let base, let offset, let length, let register): [
            .bigEndian(NFTA.Payload.destination, register.rawValue), .bigEndian(NFTA.Payload.base, base.rawValue),
            .bigEndian(NFTA.Payload.offset, offset), .bigEndian(NFTA.Payload.length, length),
        ]
        case .meta(let key, let register):
            [.bigEndian(NFTA.Meta.key, key.rawValue), .bigEndian(NFTA.Meta.destination, register.rawValue)]
        case .conntrack(let key, let register):
            [.bigEndian(NFTA.Conntrack.key, key.rawValue), .bigEndian(NFTA.Conntrack.destination, register.rawValue)]
        case .compare(let op, let register, let bytes): [
            .bigEndian(NFTA.Compare.source, register.rawValue), .bigEndian(NFTA.Compare.op, op.rawValue),
            .marked(NFTA.Compare.data, NFTData.value(bytes).attributes),
        ]
        case .bitwise(let source, let destination, let mask, let xor): [
            .bigEndian(NFTA.Bitwise.source, source.rawValue), .bigEndian(NFTA.Bitwise.destination, destination.rawValue),
            .bigEndian(NFTA.Bitwise.length, UInt32(mask.count)),
            .marked(NFTA.Bitwise.mask, NFTData.value(mask).attributes), .marked(NFTA.Bitwise.xor, NFTData.value(xor).attributes),
        ]
        case .immediate(let register, let data):
            [.bigEndian(NFTA.Immediate.destination, register.rawValue), .marked(NFTA.Immediate.data, data.attributes)]
        case .nat(let nat): nat.attributes
        case .masquerade(let flags, let ports):
            (flags == 0 ? [] : [.bigEndian(NFTA.Masquerade.flags, flags)]) + (ports.map { [
                .bigEndian(NFTA.Masquerade.portMin, $0.lowerBound.rawValue), .bigEndian(NFTA.Masquerade.portMax, $0.upperBound.rawValue),
            ] } ?? [])
        case .counter(let packets, let bytes):
            packets == 0 && bytes == 0 && !explicitCounters ? [] : [.bigEndian(NFTA.Counter.bytes, bytes), .bigEndian(NFTA.Counter.packets, packets)]
        case .other(_, let attributes): attributes
        }
        return [.string(NFTA.Expression.name, name), .marked(NFTA.Expression.data, data)]
    }

    /// The expression one `NFTA_LIST_ELEM` holds. The kernel's dumps add attributes nft does
    /// not send (bitwise's operation, both ends of a NAT range); the value is the same.
    init(element: [NetlinkAttribute]) {
        let name = element.first(NFTA.Expression.name)?.string ?? ""
        let data = element.first(NFTA.Expression.data)?.children ?? []
        func number(_ type: UInt16) -> UInt32? { data.first(type)?.bigEndianInteger() }
        func register(_ type: UInt16) -> NFTRegister? { number(type).map(NFTRegister.init(rawValue:)) }
        func bytes(_ type: UInt16) -> [UInt8]? {
            guard case .value(let bytes)? = data.first(type).map({ NFTData($0.children ?? []) }) else { return nil }
            return bytes
        }
        let read: NFTExpression? = switch name {
        case "payload":
            if let register = register(NFTA.Payload.destination), let base = number(NFTA.Payload.base).flatMap(PayloadBase.init(rawValue:)),
               let offset = number(NFTA.Payload.offset), let length = number(NFTA.Payload.length) {
                .payload(base: base, offset: offset, length: length, into: register)
            } else { nil }
        case "meta":
            if let key = number(NFTA.Meta.key), let register = register(NFTA.Meta.destination) {
                .meta(NFTMetaKey(rawValue: key), into: register)
            } else { nil }
        case "ct":
            if let key = number(NFTA.Conntrack.key), let register = register(NFTA.Conntrack.destination), data.first(NFTA.Conntrack.direction) == nil {
                .conntrack(NFTConntrackKey(rawValue: key), into: register)
            } else { nil }
        case "cmp":
            if let register = register(NFTA.Compare.source), let op = number(NFTA.Compare.op).flatMap(CompareOperator.init(rawValue:)),
               let value = bytes(NFTA.Compare.data) {
                .compare(op, register, value)
            } else { nil }
        case "bitwise":
            if let source = register(NFTA.Bitwise.source), let destination = register(NFTA.Bitwise.destination),
               (number(NFTA.Bitwise.op) ?? 0) == 0, let mask = bytes(NFTA.Bitwise.mask), let xor = bytes(NFTA.Bitwise.xor) {
                .bitwise(source, into: destination, mask: mask, xor: xor)
            } else { nil }
        case "immediate":
            if let register = register(NFTA.Immediate.destination), let value = data.first(NFTA.Immediate.data) {
                .immediate(register, NFTData(value.children ?? []))
            } else { nil }
        case "nat": NFTNat(data).map(NFTExpression.nat)
        case "masq":
            .masquerade(
                flags: (number(NFTA.Masquerade.flags) ?? 0) & ~NFTNat.impliedFlags,
                ports: register(NFTA.Masquerade.portMin).map { $0...(register(NFTA.Masquerade.portMax) ?? $0) }
            )
        case "counter":
            .counter(packets: data.first(NFTA.Counter.packets)?.bigEndianInteger() ?? 0, bytes: data.first(NFTA.Counter.bytes)?.bigEndianInteger() ?? 0)
        default: nil
        }
        self = read ?? .other(name: name, attributes: data)
    }
}
