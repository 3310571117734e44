import Kernel

/// A firewall or NAT rule that must exist in a network namespace, judged by what it does
/// (`NFTRuleMeaning`) and not by its text: whichever tool made it (BoxLab, iptables-nft,
/// nft), the same meaning passes.
public struct NetfilterExpectation: Sendable, Equatable {
    public enum Rule: Sendable, Equatable {
        /// `nat masquerade from 172.17.0.0/16 out !docker0`: packets from the prefix leaving
        /// by that interface (or any, without `out`) take the address of the one they leave by.
        case masquerade(from: IPPrefix, out: NFTRuleMeaning.Test<String>?)
        /// `nat dnat tcp 8080 to 172.17.0.2:80`: connections to the port go to the address (and port).
        case dnat(transport: UInt8, port: UInt16, to: IPAddress, toPort: UInt16?)
        /// `chain filter FORWARD policy drop`.
        case policy(table: String, chain: String, NFTVerdict)
    }

    public var rule: Rule
    public var namespace: String

    var subject: String {
        switch rule {
        case .masquerade(let from, _): "nat masquerade \(namespace):\(from)"
        case .dnat(let transport, let port, _, _): "nat dnat \(namespace):\(transport):\(port)"
        case .policy(let table, let chain, _): "chain \(namespace):\(table):\(chain)"
        }
    }
}
