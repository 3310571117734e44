import Kernel

/// The connection tracking tables of the session's namespaces, flow by flow: a step that
/// makes a connection through a NAT rule shows it in the diff, with the rewrite. A flow is
/// known by its two tuples; its state and timer change by themselves and are left out, and
/// flows that expire are not reported (they go minutes after the step that made them).
enum FlowSnapshot {
    /// With `--host` the session's own namespace is the machine's, whose table holds the
    /// machine's own connections: only flows to or from an address of the lab's other
    /// namespaces are the lab's, and only those are kept.
    static func take(_ places: NetworkPlaces) -> [String: Set<String>] {
        var tables: [String: [ConntrackFlow]] = [:]
        var labAddresses: Set<IPAddress> = []
        for name in places.all() {
            guard let (addresses, flows) = try? places.perform(in: name, { () throws(KernelError) in
                (try RouteNetlink().addresses().map(\.prefix.address), try Conntrack().flows())
            }) else { continue }
            if name != NetworkPlaces.host { labAddresses.formUnion(addresses) }
            tables[name] = flows
        }
        return tables.mapValues { flows in
            Set(flows.filter { flow in
                [flow.original.source, flow.original.destination, flow.reply.source, flow.reply.destination].contains(where: labAddresses.contains)
            }.map(describe))
        }.filter { !$0.value.isEmpty }
    }

    /// `flow tcp 172.17.0.2:40000 → 203.0.113.1:80 (reply 203.0.113.1:80 → 203.0.113.2:40000: SNAT)`.
    static func describe(_ flow: ConntrackFlow) -> String {
        let kinds = flow.translations.map(\.kind.rawValue)
        return "flow \(flow.original.protocolName) \(flow.original.sourceEnd) → \(flow.original.destinationEnd)"
            + " (reply \(flow.reply.sourceEnd) → \(flow.reply.destinationEnd)\(kinds.isEmpty ? "" : ": " + kinds.joined(separator: ", ")))"
    }

    /// The flows new since `before`, host first.
    static func changes(from before: [String: Set<String>], to after: [String: Set<String>]) -> [String] {
        after.keys.sorted { ($0 == NetworkPlaces.host ? "" : $0) < ($1 == NetworkPlaces.host ? "" : $1) }.flatMap { name in
            let place = name == NetworkPlaces.host ? "" : " in \(name)"
            return after[name]!.subtracting(before[name] ?? []).sorted().map { "+ \($0)\(place)" }
        }
    }
}
