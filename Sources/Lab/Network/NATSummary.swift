import Kernel

/// What a NAT rule does, in a few words for the `show net` picture: `masquerade
/// 172.17.0.0/16 → out !docker0`, `dnat tcp :8080 → 172.17.0.2:80`. Read from the
/// expressions (whoever made the rule): the loads and comparisons before the NAT say which
/// packets, the immediates it reads say where to, or iptables-nft's xtables target
/// (`MASQUERADE`, `DNAT`, `SNAT`) with its range. Other rules have no summary.
struct NATSummary {
    let text: String

    init?(_ rule: NFTRule) {
        var loaded: [NFTRegister: (field: String, mask: [UInt8]?)] = [:]
        var values: [NFTRegister: [UInt8]] = [:]
        var matches: [String: String] = [:]
        var translation: (kind: String, to: String)?
        for expression in rule.expressions {
            switch expression {
            // iptables-nft loads only a prefix's whole bytes (2 for a /16).
            case .payload(.network, 12, 1...4, let register): loaded[register] = ("saddr", nil)
            case .payload(.network, 16, 1...4, let register): loaded[register] = ("daddr", nil)
            case .payload(.transport, 2, 2, let register): loaded[register] = ("dport", nil)
            case .meta(.outputInterfaceName, let register): loaded[register] = ("out", nil)
            case .meta(.inputInterfaceName, let register): loaded[register] = ("in", nil)
            case .meta(.l4Protocol, let register): loaded[register] = ("proto", nil)
            case .bitwise(let source, let destination, let mask, _): loaded[destination] = loaded[source].map { ($0.field, mask) }
            case .compare(let op, let register, let value):
                guard let (field, mask) = loaded[register], op == .equal || op == .notEqual else { continue }
                matches[field] = (op == .notEqual ? "!" : "") + Self.format(field, value, mask: mask)
            case .immediate(let register, .value(let bytes)): values[register] = bytes
            case .masquerade: translation = ("masquerade", "")
            case .nat(let nat):
                let address = nat.addresses.flatMap { values[$0.lowerBound] }.flatMap { IPAddress(bytes: $0)?.description } ?? ""
                let port = nat.ports.flatMap { values[$0.lowerBound] }.map { ":" + Self.format("dport", $0, mask: nil) } ?? ""
                translation = ("\(nat.kind)", "→ " + address + port)
            case .other("target", let attributes):
                translation = Self.xtablesTarget(attributes) ?? translation
            default: continue
            }
        }
        guard let translation else { return nil }
        let words: [String?] = switch translation.kind {
        case "masquerade": ["masquerade", matches["saddr"], matches["out"].map { "→ out \($0)" }]
        case "snat": ["snat", matches["saddr"], translation.to, matches["out"].map { "(out \($0))" }]
        default: [
            translation.kind, matches["proto"], matches["daddr"].map { $0 + (matches["dport"].map { ":" + $0 } ?? "") } ?? matches["dport"].map { ":" + $0 },
            translation.to, matches["in"].map { "(in \($0))" },
        ]
        }
        text = words.compactMap { $0 }.joined(separator: " ")
    }

    /// iptables-nft's `[target name DNAT rev 2]`: `NFTA_TARGET_NAME`, `_REV` and `_INFO`, the
    /// target's own struct as the xtables module reads it (`nf_nat_range2` from revision 1 on,
    /// `nf_nat_ipv4_multi_range_compat` before): flags in host order, address and ports in
    /// network order.
    private static func xtablesTarget(_ attributes: [NetlinkAttribute]) -> (kind: String, to: String)? {
        guard let name = attributes.first(where: { $0.type == 1 })?.string else { return nil }
        if name == "MASQUERADE" { return ("masquerade", "") }
        guard name == "DNAT" || name == "SNAT", let info = attributes.first(where: { $0.type == 3 })?.payload else { return nil }
        let revision = attributes.first { $0.type == 2 }?.payload.reduce(UInt32(0)) { $0 << 8 | UInt32($1) } ?? 0
        let (flagsAt, addressAt, portAt) = revision == 0 ? (4, 8, 16) : (0, 4, 36)
        guard info.count >= portAt + 2 else { return (name.lowercased(), "→ ?") }
        let flags = Array(info[flagsAt..<flagsAt + 4]).withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }
        let address = flags & 1 != 0 ? IPAddress(bytes: Array(info[addressAt..<addressAt + 4]))?.description ?? "?" : ""
        let port = flags & 2 != 0 ? ":" + format("dport", Array(info[portAt..<portAt + 2]), mask: nil) : ""
        return (name.lowercased(), "→ " + address + port)
    }

    /// An address with its prefix length when masked, a port, a protocol's name, an
    /// interface name (a `*` where iptables' `+` matches a prefix).
    private static func format(_ field: String, _ value: [UInt8], mask: [UInt8]?) -> String {
        switch field {
        case "saddr", "daddr":
            let address = IPAddress(bytes: value + [UInt8](repeating: 0, count: max(0, 4 - value.count)))?.description ?? "?"
            if value.count < 4, mask == nil { return "\(address)/\(value.count * 8)" }
            guard let mask else { return address }
            return "\(address)/\(mask.reduce(0) { $0 + $1.nonzeroBitCount })"
        case "dport": return value.count == 2 ? String(UInt16(value[0]) << 8 | UInt16(value[1])) : "?"
        case "proto": return value.count == 1 ? ([6: "tcp", 17: "udp", 1: "icmp"][value[0]] ?? String(value[0])) : "?"
        default: return value.contains(0) ? String(decoding: value.prefix { $0 != 0 }, as: UTF8.self) : String(decoding: value, as: UTF8.self) + "*"
        }
    }
}
