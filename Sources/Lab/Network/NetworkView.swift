import Kernel

/// One namespace's links, addresses and routes, dumped once, and written as iproute2
/// writes them (`5: eth0@if4: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 …`).
struct NetworkView {
    let links: [Link]
    let addresses: [Address]
    let routes: [Route]

    init(_ netlink: RouteNetlink, addresses: Bool = true, routes: Bool = false) throws(KernelError) {
        links = try netlink.links().sorted { $0.index < $1.index }
        self.addresses = addresses ? try netlink.addresses() : []
        self.routes = routes ? try netlink.routes() : []
    }

    func name(of index: Int32) -> String? { links.first { $0.index == index }?.name }

    /// A veth's peer as ip shows it: by name when it is in this namespace, `ifN` when not.
    func peerName(_ link: Link) -> String? {
        guard let peer = link.link, peer != 0 else { return nil }
        if link.linkNetnsID == nil, let name = name(of: peer) { return name }
        return "if\(peer)"
    }

    func describe(_ link: Link, addresses: Bool, details: Bool = false) -> String {
        // ip leaves RUNNING out of the flags it prints.
        let flags = "<" + link.flags.names.filter { $0 != "RUNNING" }.joined(separator: ",") + ">"
        var head = "\(link.index): \(link.name)\(peerName(link).map { "@" + $0 } ?? ""): \(flags)"
        if let mtu = link.mtu { head += " mtu \(mtu)" }
        if let master = link.master, let name = name(of: master) { head += " master \(name)" }
        head += " state \(link.operationalState)"
        var lines = [head]
        let type = link.flags.contains(.loopback) ? "loopback" : "ether"
        var second = "    link/\(type) \(link.address?.description ?? "00:00:00:00:00:00")"
        if let kind = link.kind { second += " (\(kind))" }
        lines.append(second)
        // ip -d: the kind and its settings, `macvlan mode bridge`.
        if details, let kind = link.kind {
            let settings = link.vxlan.map(describe) ?? (link.mode.map { ["mode", $0] } ?? [])
            lines.append("    " + ([kind] + settings).joined(separator: " "))
        }
        if addresses {
            for address in self.addresses where address.index == link.index {
                lines.append("    \(address.family == .inet ? "inet" : "inet6") \(address.prefix) scope \(address.scope) \(link.name)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A VXLAN link's settings as `ip -d link` writes them, up to its ageing: `id 1 local
    /// 192.168.32.129 dev eth0 srcport 0 0 dstport 8472 nolearning ttl auto ageing 300`.
    private func describe(_ vxlan: VXLANOptions) -> [String] {
        var words = ["id", "\(vxlan.id)"]
        if let remote = vxlan.remote { words += [remote.isMulticast ? "group" : "remote", remote.description] }
        if let local = vxlan.local { words += ["local", local.description] }
        if case .index(let index)? = vxlan.device { words += ["dev", name(of: index) ?? "if\(index)"] }
        if let ports = vxlan.sourcePorts { words += ["srcport", "\(ports.lowerBound)", "\(ports.upperBound)"] }
        if let port = vxlan.port { words += ["dstport", "\(port)"] }
        if !vxlan.learning { words.append("nolearning") }
        if let ttl = vxlan.ttl { words += ["ttl", ttl == 0 ? "auto" : "\(ttl)"] }
        if let ageing = vxlan.ageing { words += ["ageing", "\(ageing)"] }
        return words
    }

    func describe(_ route: Route) -> String {
        var words = [route.destination.isDefault ? "default" : route.destination.description]
        if let gateway = route.gateway { words.append("via \(gateway)") }
        if let device = route.outputInterface.flatMap(name(of:)) { words.append("dev \(device)") }
        if route.routeProtocol != .boot { words.append("proto \(route.routeProtocol)") }
        if route.scope != .universe { words.append("scope \(route.scope)") }
        if let source = route.preferredSource { words.append("src \(source)") }
        if route.onlink { words.append("onlink") }
        return words.joined(separator: " ")
    }
}
