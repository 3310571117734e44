/// An nf_tables chain: a list of rules in a table. A base chain is attached to a hook, where
/// the kernel calls it for every packet, in order of priority, and its policy is the
/// verdict for packets no rule decided; a regular chain runs only when a rule jumps to it.
public struct NFTChain: Sendable, Equatable {
    public var family: NetfilterFamily
    public var table: String
    public var name: String
    public var base: Base?
    public var handle: UInt64?

    /// What makes a chain a base chain: `{ type nat hook postrouting priority 100; policy accept; }`.
    public struct Base: Sendable, Equatable {
        public var hook: NFTHook
        /// Lower runs first; iptables' nat chains use -100 (dstnat) and 100 (srcnat), filter 0.
        public var priority: Int32
        /// `filter`, `nat` or `route`: which expressions the chain may hold.
        public var type: String
        /// Accept or drop.
        public var policy: NFTVerdict

        public init(hook: NFTHook, priority: Int32, type: String, policy: NFTVerdict = .accept) {
            self.hook = hook
            self.priority = priority
            self.type = type
            self.policy = policy
        }
    }

    public init(family: NetfilterFamily = .ip, table: String, name: String, base: Base? = nil, handle: UInt64? = nil) {
        self.family = family
        self.table = table
        self.name = name
        self.base = base
        self.handle = handle
    }

    /// The chain a NEWCHAIN, GETCHAIN or DELCHAIN message names.
    public init(_ message: NetfilterMessage) {
        let attributes = message.attributes
        family = message.family
        table = attributes.first(NFTA.Chain.table)?.string ?? ""
        name = attributes.first(NFTA.Chain.name)?.string ?? ""
        handle = attributes.first(NFTA.Chain.handle)?.bigEndianInteger()
        if let hook = attributes.first(NFTA.Chain.hook)?.children,
           let number = hook.first(NFTA.Hook.number)?.bigEndianInteger(UInt32.self) {
            base = Base(
                hook: NFTHook(rawValue: number),
                priority: hook.first(NFTA.Hook.priority)?.bigEndianInteger() ?? 0,
                type: attributes.first(NFTA.Chain.type)?.string ?? "filter",
                policy: attributes.first(NFTA.Chain.policy)?.bigEndianInteger(Int32.self).map { NFTVerdict(code: $0) } ?? .accept
            )
        }
    }

    /// Table and name, then a base chain's type, policy and hook, in nft's order.
    var attributes: [NetlinkAttribute] {
        var attributes: [NetlinkAttribute] = [.string(NFTA.Chain.table, table), .string(NFTA.Chain.name, name)]
        if let base {
            attributes += [
                .string(NFTA.Chain.type, base.type),
                .bigEndian(NFTA.Chain.policy, base.policy.code),
                .marked(NFTA.Chain.hook, [.bigEndian(NFTA.Hook.number, base.hook.rawValue), .bigEndian(NFTA.Hook.priority, base.priority)]),
            ]
        }
        return attributes
    }

    /// The chain's own attributes only: what DELCHAIN needs.
    var reference: [NetlinkAttribute] {
        [.string(NFTA.Chain.table, table), .string(NFTA.Chain.name, name)]
    }

    /// `table=filter chain=FORWARD type=filter hook=forward priority=0 policy=drop`.
    var renderedParts: [String] {
        var parts = family.shownInTrace
        if !table.isEmpty { parts.append("table=\(table)") }
        if !name.isEmpty { parts.append("chain=\(name)") }
        if let base {
            parts += ["type=\(base.type)", "hook=\(base.hook)", "priority=\(base.priority)", "policy=\(base.policy)"]
        }
        if let handle { parts.append("handle=\(handle)") }
        return parts
    }
}
