/// The xtables extensions iptables-nft wraps in nf_tables' `target` and `match` expressions
/// (`NFTA_TARGET_NAME`/`REV`/`INFO`, `NFTA_MATCH_*` alike): the kernel runs the old
/// iptables module on the struct in INFO, laid out in the host's byte order except for
/// addresses and ports. iptables-nft 1.8.9 still sends MASQUERADE, DNAT and `-m conntrack`
/// this way, where nft sends `masq`, `nat` and `ct`; BoxLab reads and writes both.
public enum XTTarget: Sendable, Equatable {
    /// `-j MASQUERADE`: revision 0, `struct nf_nat_ipv4_multi_range_compat` with one empty range.
    case masquerade
    /// `-j DNAT --to-destination ADDR[:PORT]`: revision 2, `struct nf_nat_range2`.
    case dnat(IPAddress, port: UInt16?)
    /// Any other target, as it came.
    case other(name: String, revision: UInt32, info: [UInt8])

    public var name: String {
        switch self {
        case .masquerade: "MASQUERADE"
        case .dnat: "DNAT"
        case .other(let name, _, _): name
        }
    }

    /// `NF_NAT_RANGE_MAP_IPS`, `NF_NAT_RANGE_PROTO_SPECIFIED`.
    private static let mapAddresses: UInt32 = 1, mapPorts: UInt32 = 2

    var revision: UInt32 {
        switch self {
        case .masquerade: 0
        case .dnat: 2
        case .other(_, let revision, _): revision
        }
    }

    /// The struct, padded to 8 bytes (`XT_ALIGN`) as iptables-nft sends it.
    var info: [UInt8] {
        var bytes: [UInt8] = []
        switch self {
        case .masquerade:
            bytes.appendInteger(UInt32(1))  // rangesize
            bytes += [UInt8](repeating: 0, count: 20)  // flags, min_ip, max_ip, min, max
        case .dnat(let address, let port):
            bytes.appendInteger(Self.mapAddresses | (port == nil ? 0 : Self.mapPorts))
            let inet = address.bytes + [UInt8](repeating: 0, count: 16 - address.bytes.count)
            bytes += inet + inet  // min_addr, max_addr (union nf_inet_addr)
            let port = port ?? 0
            bytes += [UInt8(port >> 8), UInt8(port & 0xff), UInt8(port >> 8), UInt8(port & 0xff), 0, 0]  // min, max, base
        case .other(_, _, let info):
            return info
        }
        return bytes + [UInt8](repeating: 0, count: (8 - bytes.count % 8) % 8)
    }

    init(name: String, revision: UInt32, info: [UInt8]) {
        let flags: UInt32 = info.integer(at: 0) ?? 0
        switch (name, revision) {
        case ("MASQUERADE", 0) where info.count >= 24 && info.integer(at: 0, as: UInt32.self) == 1 && info[4..<24].allSatisfy({ $0 == 0 }):
            self = .masquerade
        case ("DNAT", 2) where info.count >= 42 && flags & ~(Self.mapAddresses | Self.mapPorts) == 0 && flags & Self.mapAddresses != 0
            && info[4..<8] == info[20..<24] && info[36..<38] == info[38..<40]:
            let address = IPAddress(bytes: Array(info[4..<8]))!
            self = .dnat(address, port: flags & Self.mapPorts == 0 ? nil : UInt16(info[36]) << 8 | UInt16(info[37]))
        default:
            self = .other(name: name, revision: revision, info: info)
        }
    }

    /// `DNAT to:172.17.0.2:80`, as `iptables -S` puts the options.
    public var iptablesArguments: [String] {
        switch self {
        case .masquerade: ["-j", "MASQUERADE"]
        case .dnat(let address, let port): ["-j", "DNAT", "--to-destination", "\(address)" + (port.map { ":\($0)" } ?? "")]
        case .other(let name, _, _): ["-j", name]
        }
    }
}

/// A match iptables-nft sends as an xtables `match` expression.
public enum XTMatch: Sendable, Equatable {
    /// `-m conntrack [!] --ctstate …`: revision 3, `struct xt_conntrack_mtinfo3`; the state
    /// bits are nft's `ct state` bits (1 invalid, 2 established, 4 related, 8 new, 64 untracked).
    case conntrackState(UInt16, inverted: Bool)
    case other(name: String, revision: UInt32, info: [UInt8])

    public var name: String {
        switch self {
        case .conntrackState: "conntrack"
        case .other(let name, _, _): name
        }
    }

    var revision: UInt32 {
        switch self {
        case .conntrackState: 3
        case .other(_, let revision, _): revision
        }
    }

    /// `XT_CONNTRACK_STATE`, the only field BoxLab sets; its offsets in the 168-byte struct.
    private static let stateFlag: UInt16 = 1, size = 168, matchFlags = 146, invertFlags = 148, stateMask = 150

    var info: [UInt8] {
        switch self {
        case .conntrackState(let states, let inverted):
            var bytes = [UInt8](repeating: 0, count: Self.matchFlags)
            bytes.appendInteger(Self.stateFlag)
            bytes.appendInteger(inverted ? Self.stateFlag : 0)
            bytes.appendInteger(states)
            return bytes + [UInt8](repeating: 0, count: Self.size - bytes.count)
        case .other(_, _, let info): return info
        }
    }

    init(name: String, revision: UInt32, info: [UInt8]) {
        let flags: UInt16? = info.integer(at: Self.matchFlags), inverted: UInt16? = info.integer(at: Self.invertFlags)
        if name == "conntrack", revision == 3, info.count == Self.size, flags == Self.stateFlag, let inverted, inverted & ~Self.stateFlag == 0,
           info[..<Self.matchFlags].allSatisfy({ $0 == 0 }), info[(Self.stateMask + 2)...].allSatisfy({ $0 == 0 }) {
            self = .conntrackState(info.integer(at: Self.stateMask) ?? 0, inverted: inverted != 0)
        } else {
            self = .other(name: name, revision: revision, info: info)
        }
    }

    /// iptables' state names, in its order.
    public static let stateNames: [(bits: UInt16, name: String)] = [
        (1, "INVALID"), (8, "NEW"), (4, "RELATED"), (2, "ESTABLISHED"), (64, "UNTRACKED"),
    ]

    /// `-m conntrack --ctstate RELATED,ESTABLISHED`.
    public var iptablesArguments: [String] {
        switch self {
        case .conntrackState(let states, let inverted):
            let names = Self.stateNames.filter { states & $0.bits != 0 }.map(\.name).joined(separator: ",")
            return ["-m", "conntrack"] + (inverted ? ["!"] : []) + ["--ctstate", names]
        case .other(let name, _, _): return ["-m", name]
        }
    }
}

extension NFTExpression {
    /// iptables-nft's `target` expression.
    public static func target(_ target: XTTarget) -> NFTExpression {
        .other(name: "target", attributes: xtables(target.name, target.revision, target.info))
    }

    /// iptables-nft's `match` expression.
    public static func match(_ match: XTMatch) -> NFTExpression {
        .other(name: "match", attributes: xtables(match.name, match.revision, match.info))
    }

    /// The xtables target this expression wraps, if it is one.
    public var target: XTTarget? {
        guard case .other("target", let attributes) = self, let (name, revision, info) = Self.xtables(attributes) else { return nil }
        return XTTarget(name: name, revision: revision, info: info)
    }

    /// The xtables match this expression wraps, if it is one.
    public var match: XTMatch? {
        guard case .other("match", let attributes) = self, let (name, revision, info) = Self.xtables(attributes) else { return nil }
        return XTMatch(name: name, revision: revision, info: info)
    }

    private static func xtables(_ name: String, _ revision: UInt32, _ info: [UInt8]) -> [NetlinkAttribute] {
        [.string(NFTA.Xtables.name, name), .bigEndian(NFTA.Xtables.revision, revision), NetlinkAttribute(type: NFTA.Xtables.info, payload: info)]
    }

    private static func xtables(_ attributes: [NetlinkAttribute]) -> (String, UInt32, [UInt8])? {
        guard let name = attributes.first(NFTA.Xtables.name)?.string, let revision = attributes.first(NFTA.Xtables.revision)?.bigEndianInteger(UInt32.self),
              let info = attributes.first(NFTA.Xtables.info)?.payload else { return nil }
        return (name, revision, info)
    }
}
