/// How a rule reads for a learner: the expressions grouped into the statements nft and
/// iptables think in. A load, the mask applied to it and the comparison that tests it make
/// one statement (`[payload ip saddr & 255.255.0.0 == 172.17.0.0]`, `[meta oifname !=
/// "docker0"]`), and so do the immediates that fill a NAT's registers and the NAT
/// (`[dnat to 172.17.0.2:80]`). What does not fit a pattern is shown expression by
/// expression (`[payload load 4b @ network + 12 => reg 1]`). The same function reads
/// what BoxLab sends and what the kernel reports, whoever made the rule.
extension NFTExpression {
    static func statements(_ expressions: [NFTExpression], family: NetfilterFamily) -> [String] {
        var statements: [String] = []
        /// The transport protocol an earlier statement matched, which names ports (`tcp dport`).
        var transport: String?
        var index = 0
        while index < expressions.count {
            let expression = expressions[index]
            if let field = Field(expression, family: family, transport: transport),
               let (text, used, matched) = comparison(of: field, in: expressions[(index + 1)...]) {
                statements.append("[\(text)]")
                if field.kind == .transportProtocol, let matched { transport = Field.protocolName(matched) }
                index += used + 1
                continue
            }
            if let (text, used) = translation(at: index, in: expressions) {
                statements.append("[\(text)]")
                index += used
                continue
            }
            statements.append("[\(expression.rawText)]")
            index += 1
        }
        return statements
    }

    /// A load's statement: an optional `bitwise` on its register, then a `cmp` of it. Returns
    /// the statement, how many expressions after the load it took, and the value it must
    /// equal, if it is an equality.
    private static func comparison(of field: Field, in rest: ArraySlice<NFTExpression>) -> (String, Int, [UInt8]?)? {
        var mask: [UInt8]?
        var register = field.register
        var next = rest.startIndex
        if next < rest.endIndex, case .bitwise(let source, let destination, let bits, let xor) = rest[next],
           source == register, xor.allSatisfy({ $0 == 0 }) {
            mask = bits
            register = destination
            next += 1
        }
        guard next < rest.endIndex, case .compare(let op, let compared, let value) = rest[next], compared == register else { return nil }
        let used = next - rest.startIndex + 1
        if field.kind == .conntrackState, let mask, op == .notEqual, value.allSatisfy({ $0 == 0 }) {
            return ("\(field.name) \(Field.stateNames(mask))", used, nil)
        }
        let masked = mask.map { " & \(field.format($0))" } ?? ""
        return ("\(field.name)\(masked) \(op) \(field.format(value))", used, op == .equal && mask == nil ? value : nil)
    }

    /// Immediates that fill the registers of the NAT after them, and the NAT.
    private static func translation(at start: Int, in expressions: [NFTExpression]) -> (String, Int)? {
        var values: [NFTRegister: [UInt8]] = [:]
        var index = start
        while index < expressions.count, case .immediate(let register, .value(let bytes)) = expressions[index], register != .verdict {
            values[register] = bytes
            index += 1
        }
        guard index < expressions.count else { return nil }
        func range(_ registers: ClosedRange<NFTRegister>, _ format: ([UInt8]) -> String) -> String? {
            guard let low = values[registers.lowerBound], let high = values[registers.upperBound] else { return nil }
            return low == high ? format(low) : "\(format(low))-\(format(high))"
        }
        let port: ([UInt8]) -> String = { Field.port($0) }
        let address: ([UInt8]) -> String = { IPAddress(bytes: $0)?.description ?? Field.hex($0) }
        switch expressions[index] {
        case .nat(let nat):
            let host = nat.addresses.flatMap { range($0, address) }
            let ports = nat.ports.flatMap { range($0, port) }
            guard (nat.addresses == nil) == (host == nil), (nat.ports == nil) == (ports == nil), host != nil || ports != nil else { return nil }
            let flags = nat.flags == 0 ? "" : " flags 0x\(String(nat.flags, radix: 16))"
            return ("\(nat.kind) to \(host ?? "")\(ports.map { ":\($0)" } ?? "")\(flags)", index - start + 1)
        case .masquerade(let flags, let ports?):
            guard let text = range(ports, port) else { return nil }
            return ("masq to :\(text)" + (flags == 0 ? "" : " flags 0x\(String(flags, radix: 16))"), index - start + 1)
        default:
            return nil
        }
    }

    /// One expression on its own, as `nft --debug=netlink` would put it.
    private var rawText: String {
        switch self {
        case .payload(let base, let offset, let length, let register): "payload load \(length)b @ \(base) + \(offset) => \(register)"
        case .meta(let key, let register): "meta load \(key) => \(register)"
        case .conntrack(let key, let register): "ct load \(key) => \(register)"
        case .compare(let op, let register, let value): "cmp \(register) \(op) \(Field.hex(value))"
        case .bitwise(let source, let destination, let mask, let xor):
            "bitwise \(destination) = (\(source) & \(Field.hex(mask))) ^ \(Field.hex(xor))"
        case .immediate(.verdict, .verdict(let verdict)): verdict.description
        case .immediate(let register, .verdict(let verdict)): "immediate \(register) = \(verdict)"
        case .immediate(let register, .value(let bytes)): "immediate \(register) = \(Field.hex(bytes))"
        case .nat(let nat):
            "\(nat.kind) addr \(nat.addresses.map(Field.registers) ?? "-") port \(nat.ports.map(Field.registers) ?? "-")"
        case .masquerade(let flags, let ports):
            "masq" + (ports.map { " port \(Field.registers($0))" } ?? "") + (flags == 0 ? "" : " flags 0x\(String(flags, radix: 16))")
        case .counter(let packets, let bytes): packets == 0 && bytes == 0 ? "counter" : "counter packets \(packets) bytes \(bytes)"
        case .other(let name, _):
            // iptables-nft's xtables extensions, with their options as iptables takes them:
            // `target DNAT --to-destination 172.17.0.2:80`, `match conntrack --ctstate ESTABLISHED`.
            if let target { (["target"] + target.iptablesArguments.dropFirst()).joined(separator: " ") }
            else if let match { (["match"] + match.iptablesArguments.dropFirst()).joined(separator: " ") }
            else { name }
        }
    }
}

extension NFTExpression.PayloadBase: CustomStringConvertible {
    public var description: String { ["link", "network", "transport", "inner"][Int(rawValue)] }
}

extension NFTNat.Kind: CustomStringConvertible {
    public var description: String { self == .snat ? "snat" : "dnat" }
}

/// What a load put in a register, for reading the values it is compared with.
private struct Field {
    enum Kind: Equatable { case address, addressPrefix(Int), port, interfaceName, transportProtocol, conntrackState, bytes }

    var name: String
    var kind: Kind
    var register: NFTRegister

    init?(_ expression: NFTExpression, family: NetfilterFamily, transport: String?) {
        switch expression {
        case .payload(.network, let offset, let length, let register) where family == .ip || family == .inet:
            self.register = register
            switch (offset, length) {
            case (9, 1): (name, kind) = ("payload ip protocol", .transportProtocol)
            case (12, 4): (name, kind) = ("payload ip saddr", .address)
            case (16, 4): (name, kind) = ("payload ip daddr", .address)
            case (12, 1...3): (name, kind) = ("payload ip saddr", .addressPrefix(Int(length) * 8))
            case (16, 1...3): (name, kind) = ("payload ip daddr", .addressPrefix(Int(length) * 8))
            default: (name, kind) = ("payload @ network + \(offset) len \(length)", .bytes)
            }
        case .payload(.transport, let offset, 2, let register) where offset == 0 || offset == 2:
            (name, kind, self.register) = ("payload \(transport ?? "th") \(offset == 0 ? "sport" : "dport")", .port, register)
        case .payload(let base, let offset, let length, let register):
            (name, kind, self.register) = ("payload @ \(base) + \(offset) len \(length)", .bytes, register)
        case .meta(let key, let register):
            self.register = register
            name = "meta \(key)"
            kind = switch key {
            case .inputInterfaceName, .outputInterfaceName: .interfaceName
            case .l4Protocol: .transportProtocol
            default: .bytes
            }
        case .conntrack(let key, let register):
            (name, kind, self.register) = ("ct \(key)", key == .state ? .conntrackState : .bytes, register)
        default:
            return nil
        }
    }

    func format(_ value: [UInt8]) -> String {
        switch kind {
        case .address: IPAddress(bytes: value)?.description ?? Self.hex(value)
        case .addressPrefix(let length):
            "\(IPAddress(bytes: value + Array(repeating: 0, count: max(0, 4 - value.count)))?.description ?? Self.hex(value))/\(length)"
        case .port: Self.port(value)
        case .interfaceName:
            // A comparison shorter than the name with its NUL matches every name it starts (iptables' `docker+`).
            value.contains(0) ? traceQuote(Array(value.prefix { $0 != 0 })) : traceQuote(String(decoding: value, as: UTF8.self) + "*")
        case .transportProtocol: value.count == 1 ? Self.protocolName(value) ?? String(value[0]) : Self.hex(value)
        case .conntrackState: value.count == 4 ? Self.stateNames(value) : Self.hex(value)
        case .bytes: Self.hex(value)
        }
    }

    static func protocolName(_ value: [UInt8]) -> String? {
        guard value.count == 1 else { return nil }
        return [1: "icmp", 6: "tcp", 17: "udp", 58: "icmpv6", 132: "sctp"][value[0]]
    }

    static func stateNames(_ value: [UInt8]) -> String {
        let bits = UInt64(value.integer(at: 0, as: UInt32.self) ?? 0)
        return traceFlags(bits, NFTConntrackKey.stateNames).split(separator: "|").joined(separator: ",")
    }

    static func port(_ value: [UInt8]) -> String {
        value.count == 2 ? String(UInt16(value[0]) << 8 | UInt16(value[1])) : hex(value)
    }

    static func hex(_ value: [UInt8]) -> String {
        "0x" + value.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    static func registers(_ range: ClosedRange<NFTRegister>) -> String {
        range.lowerBound == range.upperBound ? "\(range.lowerBound)" : "\(range.lowerBound)-\(range.upperBound.rawValue)"
    }
}
