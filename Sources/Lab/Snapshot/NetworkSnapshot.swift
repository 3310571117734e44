import Kernel

/// What the lessons care about in each network namespace: links with their kind, state,
/// master and peer; IPv4 addresses; IPv4 routes of the main table; nf_tables' tables,
/// chains and rules (`NetfilterSnapshot`). (IPv6 link-local
/// addresses come and go with duplicate address detection, which would make every diff
/// and transcript depend on timing.)
struct NetworkSnapshot: Sendable, Equatable {
    var links: [String: String] = [:]
    var addresses: Set<String> = []
    var routes: Set<String> = []
    var netfilter = NetfilterSnapshot()

    static func take(_ places: NetworkPlaces) -> [String: NetworkSnapshot] {
        var snapshots: [String: NetworkSnapshot] = [:]
        for name in places.all() {
            guard let netlink = try? places.netlink(name),
                  let view = try? NetworkView(netlink, addresses: true, routes: true) else { continue }
            var snapshot = NetworkSnapshot()
            for link in view.links {
                var words = [link.kind ?? (link.flags.contains(.loopback) ? "loopback" : "device"), link.isUp ? "up" : "down"]
                if let master = link.master.flatMap(view.name(of:)) { words.append("master \(master)") }
                if let peer = view.peerName(link), link.kind == "veth" { words.append("peer \(peer)") }
                if let vxlan = link.vxlan { words.append("vni \(vxlan.id)") }
                snapshot.links[link.name] = words.joined(separator: ", ")
            }
            for address in view.addresses where address.family == .inet {
                snapshot.addresses.insert("\(address.prefix) on \(view.name(of: address.index) ?? "?")")
            }
            snapshot.routes = Set(view.routes.map(view.describe))
            snapshot.netfilter = NetfilterSnapshot.take(in: name, places)
            snapshots[name] = snapshot
        }
        return snapshots
    }

    /// The changes from `before` to `after`, namespace by namespace, host first.
    static func changes(from before: [String: NetworkSnapshot], to after: [String: NetworkSnapshot]) -> [String] {
        var lines: [String] = []
        let names = Set(before.keys).union(after.keys).sorted { ($0 == NetworkPlaces.host ? "" : $0) < ($1 == NetworkPlaces.host ? "" : $1) }
        for name in names {
            let place = name == NetworkPlaces.host ? "" : " in \(name)"
            switch (before[name], after[name]) {
            case (nil, .some): lines.append("+ netns \(name)")
            case (.some, nil): lines.append("- netns \(name)"); continue
            default: break
            }
            let old = before[name] ?? NetworkSnapshot(), new = after[name] ?? NetworkSnapshot()
            for link in Set(old.links.keys).union(new.links.keys).sorted() {
                switch (old.links[link], new.links[link]) {
                case (nil, let state?): lines.append("+ link \(link)\(place) (\(state))")
                case (_?, nil): lines.append("- link \(link)\(place)")
                case (let was?, let now?) where was != now: lines.append("~ link \(link)\(place): \(was) -> \(now)")
                default: break
                }
            }
            lines += new.addresses.subtracting(old.addresses).sorted().map { "+ address \($0)\(place)" }
            lines += old.addresses.subtracting(new.addresses).sorted().map { "- address \($0)\(place)" }
            lines += new.routes.subtracting(old.routes).sorted().map { "+ route \($0)\(place)" }
            lines += old.routes.subtracting(new.routes).sorted().map { "- route \($0)\(place)" }
            lines += NetfilterSnapshot.changes(from: old.netfilter, to: new.netfilter, place: place)
        }
        return lines
    }
}
