import Glibc
import Kernel

/// The nf_tables objects of one network namespace, as the state diff names them: tables
/// (`ip nat`), chains with what makes them base chains (`ip nat POSTROUTING` → `nat hook
/// postrouting priority 100 policy accept`), and each chain's rules in order, in their
/// iptables form whoever made them (`line(for:)`). Handles and counters are left out: the kernel's numbering and the traffic must not make a
/// diff or a transcript differ from one run to the next.
struct NetfilterSnapshot: Sendable, Equatable {
    var tables: Set<String> = []
    var chains: [String: String] = [:]
    var rules: [String: [String]] = [:]

    /// The objects of the namespace called `name`; none when the kernel has no nf_tables to
    /// ask without loading it (looking must not load a module).
    static func take(in name: String, _ places: NetworkPlaces) -> NetfilterSnapshot {
        guard kernelHasTables,
              let (tables, chains, rules) = try? places.perform(in: name, { () throws(KernelError) in
                  let nft = try NFTables()
                  return (try nft.tables(), try nft.chains(), try nft.rules())
              }) else { return NetfilterSnapshot() }
        var snapshot = NetfilterSnapshot()
        for table in tables { snapshot.tables.insert("\(table.family) \(table.name)") }
        for chain in chains {
            snapshot.chains["\(chain.family) \(chain.table) \(chain.name)"] = chain.base.map {
                "\($0.type) hook \($0.hook) priority \($0.priority) policy \($0.policy)"
            } ?? ""
        }
        for rule in rules { snapshot.rules["\(rule.family) \(rule.table) \(rule.chain)", default: []].append(line(for: rule)) }
        return snapshot
    }

    /// nf_tables is built in, loaded, or the kernel loads no modules. Whether it is loaded is
    /// asked each time (the first command that needs it loads it: a lab's `nft`, the
    /// learner's); whether it is built in, once (every snapshot asks).
    static var kernelHasTables: Bool {
        builtIn || (try? FileSystem.lstat("/sys/module/nf_tables")) != nil || (try? FileSystem.lstat("/proc/modules")) == nil
    }

    private static let builtIn: Bool = {
        var names = utsname()
        uname(&names)
        let release = withUnsafeBytes(of: names.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let builtin = (try? FileSystem.readFile("/lib/modules/\(release)/modules.builtin")).map { String(decoding: $0, as: UTF8.self) }
        return builtin?.contains("/nf_tables.ko") ?? false
    }()

    /// `+ table ip nat`, `+ chain ip nat POSTROUTING (…)`, `~ chain ip filter FORWARD: policy
    /// accept -> drop`, `+ rule ip nat POSTROUTING: -s 172.17.0.0/16 -j MASQUERADE`, with ` in NS` after the object
    /// (`place`). What a new table or chain holds is listed; what goes with a deleted one is not.
    /// A rule as `iptables -S` shows it, without `-A CHAIN` (the diff names the chain):
    /// `-s 172.17.0.0/16 ! -o docker0 -j MASQUERADE`; what iptables cannot say follows `# nft:`.
    static func line(for rule: NFTRule) -> String {
        rule.meaning.iptablesArguments.joined(separator: " ")
    }

    static func changes(from old: NetfilterSnapshot, to new: NetfilterSnapshot, place: String) -> [String] {
        var lines = new.tables.subtracting(old.tables).sorted().map { "+ table \($0)\(place)" }
        lines += old.tables.subtracting(new.tables).sorted().map { "- table \($0)\(place)" }
        func tableGone(_ chain: String) -> Bool { !new.tables.contains(chain.split(separator: " ").prefix(2).joined(separator: " ")) }
        for chain in Set(old.chains.keys).union(new.chains.keys).sorted() {
            switch (old.chains[chain], new.chains[chain]) {
            case (nil, let base?): lines.append("+ chain \(chain)\(place)" + (base.isEmpty ? "" : " (\(base))"))
            case (_?, nil) where !tableGone(chain): lines.append("- chain \(chain)\(place)")
            case (let was?, let now?) where was != now:
                let policy = " policy "
                if let cut = was.firstRange(of: policy), let newCut = now.firstRange(of: policy), was[..<cut.lowerBound] == now[..<newCut.lowerBound] {
                    lines.append("~ chain \(chain)\(place): policy \(was[cut.upperBound...]) -> \(now[newCut.upperBound...])")
                } else {
                    lines.append("~ chain \(chain)\(place): \(was.isEmpty ? "regular" : was) -> \(now.isEmpty ? "regular" : now)")
                }
            default: break
            }
        }
        for chain in Set(old.rules.keys).union(new.rules.keys).sorted() {
            var removed = old.rules[chain] ?? [], added: [String] = []
            for rule in new.rules[chain] ?? [] {
                if let index = removed.firstIndex(of: rule) { removed.remove(at: index) } else { added.append(rule) }
            }
            lines += added.map { "+ rule \(chain)\(place): \($0)" }
            if new.chains[chain] != nil { lines += removed.map { "- rule \(chain)\(place): \($0)" } }
        }
        return lines
    }
}
