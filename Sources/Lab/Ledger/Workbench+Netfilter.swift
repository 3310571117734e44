import Kernel

/// Every change a lab command makes to nf_tables goes through here. In a sandbox the tables
/// live in its own network namespace and die with it; in host mode, in the host's own
/// namespace, what BoxLab creates is journaled (as `creatingLink` does for links: the intent
/// first, then the kernel's handle), so that `reset` removes exactly that and never a table,
/// chain or rule someone else made (Docker's, a firewall's).
extension Workbench {
    /// Commits `messages` as one batch with the nf_tables client of the namespace called
    /// `namespace` (`NetworkPlaces.host` for the session's own).
    ///
    /// Journaled in host mode: a table that did not exist; a chain that did not exist, in a
    /// table BoxLab did not make; a rule added to a chain BoxLab did not make. Objects inside
    /// BoxLab's own tables and chains go with them.
    func committingNetfilter(_ messages: [NetlinkMessage], in namespace: String) throws(KernelError) {
        let nft = try places.nfTables(namespace)
        guard isolation == .host, namespace == NetworkPlaces.host else { return try nft.commit(messages) }
        let plan = try Trace.untraced { () throws(KernelError) in try NetfilterJournalPlan(messages, nft: nft, owned: ledger.entries()) }
        for entry in plan.intents { try ledger.record(entry) }
        try nft.commit(messages)
        for entry in try Trace.untraced({ () throws(KernelError) in try plan.identities(nft) }) { try ledger.record(entry) }
    }
}

/// What a batch will create that is not BoxLab's already, worked out before it is sent (the
/// kernel's state then is what tells "creates" from "was there").
struct NetfilterJournalPlan {
    private var tables: [(family: NetfilterFamily, name: String)] = []
    private var chains: [(family: NetfilterFamily, table: String, name: String)] = []
    /// The chains that gain rules, with the handles of the rules they held before.
    private var rules: [(family: NetfilterFamily, table: String, chain: String, count: Int, before: Set<UInt64>)] = []

    init(_ messages: [NetlinkMessage], nft: NFTables, owned entries: [LedgerEntry]) throws(KernelError) {
        var ownedTables = Set<String>(), ownedChains = Set<String>()
        for entry in entries {
            switch entry {
            case .nfTable(let family, let name, _?): ownedTables.insert("\(family) \(name)")
            case .nfChain(let family, let table, let name, _?): ownedChains.insert("\(family) \(table) \(name)")
            default: continue
            }
        }
        let existingTables = Set(try nft.tables().map { "\($0.family.rawValue) \($0.name)" })
        let existingChains = Set(try nft.chains().map { "\($0.family.rawValue) \($0.table) \($0.name)" })
        for message in messages {
            guard case .netfilter(let body) = message.payload else { continue }
            let family = body.family
            switch message.type {
            case .newTable:
                let table = NFTTable(body), key = "\(family.rawValue) \(table.name)"
                guard !existingTables.contains(key), !ownedTables.contains(key) else { continue }
                ownedTables.insert(key)
                tables.append((family, table.name))
            case .newChain:
                let chain = NFTChain(body), key = "\(family.rawValue) \(chain.table) \(chain.name)"
                guard !existingChains.contains(key), !ownedChains.contains(key) else { continue }
                ownedChains.insert(key)
                if !ownedTables.contains("\(family.rawValue) \(chain.table)") { chains.append((family, chain.table, chain.name)) }
            case .newRule:
                let rule = NFTRule(body)
                guard !ownedTables.contains("\(family.rawValue) \(rule.table)"),
                      !ownedChains.contains("\(family.rawValue) \(rule.table) \(rule.chain)") else { continue }
                if let index = rules.firstIndex(where: { $0.family == family && $0.table == rule.table && $0.chain == rule.chain }) {
                    rules[index].count += 1
                } else {
                    let before = Set(((try? nft.rules(family: family, table: rule.table, chain: rule.chain)) ?? []).compactMap(\.handle))
                    rules.append((family, rule.table, rule.chain, 1, before))
                }
            default: continue
            }
        }
    }

    /// The lines journaled before the batch is sent.
    var intents: [LedgerEntry] {
        tables.map { .nfTable(family: $0.family.rawValue, name: $0.name) }
            + chains.map { .nfChain(family: $0.family.rawValue, table: $0.table, name: $0.name) }
            + rules.map { .nfRule(family: $0.family.rawValue, table: $0.table, chain: $0.chain) }
    }

    /// The objects made, with the handles the kernel gave them, read back after the commit.
    /// Rule handles only grow within a table, so the rules a chain gained are the handles
    /// it holds now and did not before, the lowest as many as the batch added (a rule
    /// someone else adds after the batch is not taken for ours).
    func identities(_ nft: NFTables) throws(KernelError) -> [LedgerEntry] {
        var entries: [LedgerEntry] = []
        let madeTables = try nft.tables()
        for table in tables {
            guard let handle = madeTables.first(where: { $0.family == table.family && $0.name == table.name })?.handle else { continue }
            entries.append(.nfTable(family: table.family.rawValue, name: table.name, handle: handle))
        }
        for chain in chains {
            let made = try nft.chains(family: chain.family, table: chain.table).first { $0.name == chain.name }
            guard let handle = made?.handle else { continue }
            entries.append(.nfChain(family: chain.family.rawValue, table: chain.table, name: chain.name, handle: handle))
        }
        for chain in rules {
            let added = try nft.rules(family: chain.family, table: chain.table, chain: chain.chain).compactMap(\.handle)
                .filter { !chain.before.contains($0) }.sorted().prefix(chain.count)
            entries += added.map { .nfRule(family: chain.family.rawValue, table: chain.table, chain: chain.chain, handle: $0) }
        }
        return entries
    }
}
