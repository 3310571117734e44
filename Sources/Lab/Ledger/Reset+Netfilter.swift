import Kernel

extension Reset {
    /// Host mode's nf_tables objects, in the host's namespace: the rules BoxLab added to
    /// chains it did not make, then its chains in tables it did not make (emptied first),
    /// then its own tables. Each is deleted by its handle, and only while the object with
    /// that handle still has the journaled table, chain or name; nothing else is flushed or
    /// deleted. An intent no handle followed (BoxLab stopped during the commit) is reported
    /// when its table or chain is there, never acted on.
    func removeNetfilterObjects(_ entries: [LedgerEntry]) -> [String] {
        let journaled = entries.filter {
            switch $0 {
            case .nfTable, .nfChain, .nfRule: true
            default: false
            }
        }
        guard !journaled.isEmpty, let nft = try? NFTables() else { return [] }
        var done: [String] = []
        var rules: [(family: NetfilterFamily, table: String, chain: String, handle: UInt64)] = []
        var chains: [(family: NetfilterFamily, table: String, name: String, handle: UInt64)] = []
        var tables: [(family: NetfilterFamily, name: String, handle: UInt64)] = []
        // An intent is settled by a line with a handle for the same object (for rules, the same
        // chain) after it; what is left unsettled is reported when its table or chain is there.
        var pending: [String: String] = [:]
        for entry in journaled {
            switch entry {
            case let .nfRule(family, table, chain, handle):
                let key = "rule \(family) \(table) \(chain)"
                if handle == nil { pending[key] = "a rule in chain \(NetfilterFamily(rawValue: family)) \(table) \(chain)" } else { pending[key] = nil }
            case let .nfChain(family, table, name, handle):
                let key = "chain \(family) \(table) \(name)"
                if handle == nil { pending[key] = "chain \(NetfilterFamily(rawValue: family)) \(table) \(name)" } else { pending[key] = nil }
            case let .nfTable(family, name, handle):
                let key = "table \(family) \(name)"
                if handle == nil { pending[key] = "table \(NetfilterFamily(rawValue: family)) \(name)" } else { pending[key] = nil }
            default: continue
            }
        }
        for entry in journaled.reversed() {
            switch entry {
            case let .nfRule(family, table, chain, handle?): rules.append((NetfilterFamily(rawValue: family), table, chain, handle))
            case let .nfChain(family, table, name, handle?): chains.append((NetfilterFamily(rawValue: family), table, name, handle))
            case let .nfTable(family, name, handle?): tables.append((NetfilterFamily(rawValue: family), name, handle))
            default: continue
            }
        }
        let present = Set(((try? nft.chains()) ?? []).flatMap { ["table \($0.family.rawValue) \($0.table)", "chain \($0.family.rawValue) \($0.table) \($0.name)"] })
            .union(((try? nft.tables()) ?? []).map { "table \($0.family.rawValue) \($0.name)" })
        let unsettled = pending.filter { key, _ in
            let words = key.split(separator: " ")
            // A rule's intent matters when its chain is there; a table's or chain's when it is.
            return present.contains(words[0] == "rule" ? "chain " + words.dropFirst().joined(separator: " ") : key)
        }.values.sorted()
        for rule in rules {
            let there = (try? nft.rules(family: rule.family, table: rule.table, chain: rule.chain)) ?? []
            guard there.contains(where: { $0.handle == rule.handle }) else { continue }
            let name = "rule \(rule.handle) of chain \(rule.family) \(rule.table) \(rule.chain)"
            done.append(delete(name, [.deleteRule(rule.family, table: rule.table, chain: rule.chain, handle: rule.handle)], nft))
        }
        for chain in chains {
            let there = (try? nft.chains(family: chain.family, table: chain.table)) ?? []
            guard let found = there.first(where: { $0.handle == chain.handle }) else { continue }
            let name = "chain \(chain.family) \(chain.table) \(chain.name)"
            guard found.name == chain.name else { done.append("left \(name): the chain with its handle is now \(found.name)"); continue }
            // The chain is BoxLab's, so are the rules in it; a chain must be empty to go.
            done.append(delete(name, [.deleteRule(chain.family, table: chain.table, chain: chain.name, handle: nil),
                                      .deleteChain(chain.family, table: chain.table, handle: chain.handle)], nft))
        }
        for table in tables {
            guard let found = ((try? nft.tables(family: table.family)) ?? []).first(where: { $0.handle == table.handle }) else { continue }
            let name = "table \(table.family) \(table.name)"
            guard found.name == table.name else { done.append("left \(name): the table with its handle is now \(found.name)"); continue }
            done.append(delete(name, [.deleteTable(table.family, handle: table.handle)], nft))
        }
        for intent in unsettled {
            done.append("left \(intent) if it is there: BoxLab stopped while making it and cannot tell it from others (`nft -a list ruleset` shows handles)")
        }
        return done
    }

    /// Every table of this process's network namespace, each deleted by its handle with
    /// everything in it: only for a sandbox's namespace, whose whole ruleset is the session's.
    func removeRuleset() -> [String] {
        guard let nft = try? NFTables(), let tables = try? nft.tables() else { return [] }
        return tables.compactMap { table in
            table.handle.map { delete("table \(table.family) \(table.name)", [.deleteTable(table.family, handle: $0)], nft) }
        }
    }

    private func delete(_ name: String, _ messages: [NetlinkMessage], _ nft: NFTables) -> String {
        do {
            try nft.commit(messages)
            return "deleted \(name)"
        } catch {
            return "left \(name): \(error)"
        }
    }

    /// `net.*` parameters BoxLab set in the host's namespace go back to the value they had
    /// before its first change, while they still hold the value it set last (a later change,
    /// the learner's or a service's, is left alone).
    func restoreSysctls(_ entries: [LedgerEntry]) -> [String] {
        var first: [String: String] = [:], last: [String: String] = [:], names: [String] = []
        for case .sysctl(let name, let original, let value) in entries {
            if first[name] == nil { first[name] = original; names.append(name) }
            last[name] = value
        }
        var done: [String] = []
        for name in names.reversed() {
            guard let path = KernelParameter.path(of: name), name.hasPrefix("net."), let original = first[name], let set = last[name] else {
                done.append("left \(name): not a net.* parameter")
                continue
            }
            guard let now = try? KernelParameter.read(path), now != original else { continue }
            guard now == set else { done.append("left \(name) = \(now): changed since BoxLab set it to \(set)"); continue }
            if (try? KernelParameter.write(path, original)) != nil {
                done.append("restored \(name) = \(original)")
            } else {
                done.append("left \(name) = \(now): cannot write it back to \(original)")
            }
        }
        return done
    }
}
