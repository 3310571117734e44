import Kernel

/// Where an IPv4 packet stops on its way through the namespaces a lab made, found by
/// following it as the kernel would: the route each namespace picks, the namespace that
/// holds the next hop (across a VXLAN device, the host its neighbour and FDB entries name),
/// and whether each namespace it crosses forwards it. Only the explanation of a silence
/// that `reach` has already seen; the kernel's verdict is the ping itself. When the way
/// there is clear, the reply's way back is followed the same way.
struct PacketPath {
    let places: NetworkPlaces

    /// What one namespace's tables say, read once per explanation.
    private struct Place {
        var name: String
        var links: [Link]
        var addresses: [Address]
        var routes: [Route]
        var neighbours: [Neighbour]
        var forwardingEntries: [BridgeFDBEntry]

        func holds(_ address: IPAddress) -> Bool { addresses.contains { $0.prefix.address == address } }
        func link(_ index: Int32?) -> Link? { links.first { $0.index == index } }
    }

    /// The first place the packet from `source` to `address` stops, as a sentence; nil
    /// when nothing in the tables stops it (there or back).
    func stop(from source: String, to address: IPAddress) -> String? {
        guard address.family == .inet else { return nil }
        // The source may be a process's namespace (`$c1`), which is not among the named ones.
        guard let start = read(source) else { return nil }
        let places = [start] + self.places.all().filter { $0 != source }.compactMap(read)
        switch follow(from: start, to: address, in: places) {
        case .stopped(let reason): return reason
        case .delivered(let holder):
            // The reply leaves from the address the request was sent to, towards the
            // address the source sent it from (its route's source, or its first IPv4).
            guard let back = sourceAddress(of: start, towards: address),
                  case .stopped(let reason) = follow(from: holder, to: back, in: places) else { return nil }
            return "the way back: " + reason
        }
    }

    private enum Outcome { case delivered(Place), stopped(String) }

    private func follow(from start: Place, to address: IPAddress, in places: [Place]) -> Outcome {
        var current = start
        var visited: [String] = []
        while !current.holds(address) {
            if visited.contains(current.name) { return .stopped("the routes loop: \(visited.joined(separator: " → ")) → \(current.name)") }
            visited.append(current.name)
            if current.name != start.name, let refusal = refusesToForward(current) {
                return .stopped("\(address) is on none of \(start.name)'s subnets: its packets are routed through \(refusal)")
            }
            guard let route = Self.route(to: address, in: current) else {
                return .stopped("\(current.name) has no route to \(address)")
            }
            let nextHop = route.gateway ?? address
            let device = current.link(route.outputInterface)
            var next: Place?
            if device?.kind == "vxlan", let device {
                switch underlayHost(for: nextHop, on: device, of: current, in: places) {
                case .stopped(let reason): return .stopped(reason)
                case .delivered(let host): next = host
                }
            } else {
                next = places.first { $0.name != current.name && $0.holds(nextHop) }
            }
            guard let next else {
                return .stopped("no namespace holds \(nextHop), \(current.name)'s next hop to \(address)")
            }
            current = next
        }
        return .delivered(current)
    }

    /// Across a VXLAN device the next hop's MAC comes from a neighbour entry and the host
    /// to send the frame to from the device's FDB: flannel programs both for every peer,
    /// since no ARP crosses and the device learns nothing (nolearning).
    private func underlayHost(for nextHop: IPAddress, on device: Link, of place: Place, in places: [Place]) -> Outcome {
        let ip = Expectation.ip(place.name)
        guard let mac = place.neighbours.first(where: { $0.index == device.index && $0.address == nextHop })?.linkAddress else {
            return .stopped("\(place.name) has no neighbour entry for \(nextHop) on \(device.name): no ARP crosses a VXLAN device, so its MAC must be given (\(ip) neigh add \(nextHop) lladdr MAC dev \(device.name) nud permanent)")
        }
        guard let remote = place.forwardingEntries.first(where: { $0.port == device.index && $0.linkAddress == mac })?.destination else {
            return .stopped("\(device.name) in \(place.name) has no FDB entry for \(mac): the kernel does not know which host to send its frames to (\(Expectation.bridge(place.name)) fdb append \(mac) dev \(device.name) dst HOST)")
        }
        guard let host = places.first(where: { $0.name != place.name && $0.holds(remote) }) else {
            return .stopped("no namespace holds \(remote), where \(place.name)'s \(device.name) sends frames for \(mac)")
        }
        guard host.links.contains(where: { $0.kind == "vxlan" && $0.isUp && $0.address == mac }) else {
            return .stopped("\(host.name) has no VXLAN device up with the MAC \(mac) that \(place.name)'s entries name: its frames arrive and are dropped")
        }
        return .delivered(host)
    }

    /// Why a namespace the packet passes through would not pass it on: forwarding off, or
    /// a FORWARD base chain whose policy drops what no rule accepts.
    private func refusesToForward(_ place: Place) -> String? {
        if let path = KernelParameter.path(of: "net.ipv4.ip_forward"),
           let forwarding = try? places.perform(in: place.name, { () throws(KernelError) in try KernelParameter.read(path) }),
           forwarding == KernelParameter.normalized("0") {
            return "\(Self.named(place.name)), which forwards none while net.ipv4.ip_forward is 0 (`\(Expectation.run("sysctl -w net.ipv4.ip_forward=1", in: place.name))`)"
        }
        guard let nft = try? places.nfTables(place.name), let chains = try? nft.chains(),
              let dropping = chains.first(where: { ($0.family == .ip || $0.family == .inet) && $0.base?.hook == .forward && $0.base?.policy == .drop })
        else { return nil }
        let rules = ((try? nft.rules()) ?? []).filter { $0.family == dropping.family && $0.table == dropping.table && $0.chain == dropping.name }
        let fix = "`\(Expectation.run("iptables -P \(dropping.name) ACCEPT", in: place.name))`, or a rule accepting it"
        return rules.isEmpty
            ? "\(Self.named(place.name)), whose \(dropping.name) chain has policy drop and no rule: it drops every packet passing through (\(fix))"
            : "\(Self.named(place.name)), whose \(dropping.name) chain has policy drop: unless one of its \(rules.count) rules accepts the packet, it is dropped (\(fix))"
    }

    private static func named(_ place: String) -> String { place == NetworkPlaces.host ? "the host" : place }

    private func read(_ name: String) -> Place? {
        guard let netlink = try? places.netlink(name), let links = try? netlink.links(),
              let addresses = try? netlink.addresses(family: .inet), let routes = try? netlink.routes() else { return nil }
        let neighbours = (try? netlink.neighbours(family: .inet)) ?? []
        let entries = links.contains { $0.kind == "vxlan" } ? ((try? netlink.bridgeFDB()) ?? []) : []
        return Place(name: name, links: links, addresses: addresses, routes: routes, neighbours: neighbours, forwardingEntries: entries)
    }

    /// The main table's longest matching route, as the kernel's lookup picks it.
    private static func route(to address: IPAddress, in place: Place) -> Route? {
        place.routes
            .filter { $0.type == .unicast && IPv4Subnet(base: IPv4Subnet.number($0.destination.address), length: $0.destination.length).contains(address) }
            .max { $0.destination.length < $1.destination.length }
    }

    private func sourceAddress(of place: Place, towards address: IPAddress) -> IPAddress? {
        let route = Self.route(to: address, in: place)
        return route?.preferredSource
            ?? place.addresses.first(where: { $0.index == route?.outputInterface })?.prefix.address
            ?? place.addresses.first(where: { place.link($0.index)?.name != "lo" })?.prefix.address
    }
}
