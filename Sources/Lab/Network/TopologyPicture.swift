/// The topology as text that fits 100 columns, or as Graphviz.
extension Topology {
    /// ```
    /// host
    ///   docker0  bridge UP  172.17.0.1/16
    ///   ├─ veth-c1 UP ═════ c1: eth0 UP 172.17.0.2/16, default via 172.17.0.1
    ///   lo UP  127.0.0.1/8
    ///   nat: masquerade 172.17.0.0/16 → out !docker0; dnat tcp :8080 → 172.17.0.2:80
    ///   uplink UP ═════ lan: eth-host UP (port of br0)
    ///      ⤷ c1: eth0 macvlan bridge UP 192.168.50.11/24
    /// ```
    ///
    /// Hosts on a LAN (a bridge whose ports lead into two or more other namespaces, as in
    /// lab 11) are drawn as boxes below the LAN, each holding its own bridges and the
    /// containers on them.
    public func text(width: Int = 100) -> String {
        var lines = ["namespaces: " + namespaces.joined(separator: ", ") + "    (═════ a veth pair, ├─ a port of the bridge above)"]
        if interfaces.contains(where: { parent(of: $0) != nil }) { lines.append("(⤷ a macvlan or ipvlan link on the link above, in its own namespace or another's)") }
        var drawn = Set<String>()
        var rest = namespaces
        var lanNamespace: String?
        if let (lan, hosts) = underlay() {
            lanNamespace = lan.namespace
            drawn.formUnion([lan.id] + ports(of: lan).map(\.id))
            lines += ["", "LAN \(lan.namespace): \(label(lan)), \(hosts.count) hosts on it:"]
            let inner = width - 4
            for host in hosts {
                lines.append("  ┌─ " + host + " " + String(repeating: "─", count: max(0, inner - host.count - 3)) + "┐")
                for line in section(host, width: inner, drawn: &drawn) {
                    let fitted = line.count > inner ? String(line.prefix(inner - 1)) + "…" : line
                    lines.append("  │" + fitted + String(repeating: " ", count: inner - fitted.count) + "│")
                }
                lines.append("  └" + String(repeating: "─", count: inner) + "┘")
            }
            rest.removeAll { hosts.contains($0) }
        }
        for namespace in rest {
            let own = section(namespace, width: width, drawn: &drawn)
            // The LAN's own namespace, once its bridge is drawn above, may hold nothing more.
            if own.isEmpty, namespace == lanNamespace { continue }
            lines.append("")
            lines.append(namespace == NetworkPlaces.host ? "host (the session's own namespace)" : "netns \(namespace)"
                + (defaultRoutes[namespace].map { "  default via \($0)" } ?? ""))
            lines += own
        }
        return lines.map { $0.count > width ? String($0.prefix(width - 1)) + "…" : $0 }.joined(separator: "\n")
    }

    /// A namespace's links not drawn yet (bridges with their ports, veth pairs with the
    /// other end, macvlan and ipvlan children under their parents) and its NAT rules.
    private func section(_ namespace: String, width: Int, drawn: inout Set<String>) -> [String] {
        var lines: [String] = []
        let own = interfaces.filter { $0.namespace == namespace }
        // A macvlan or ipvlan is drawn under its parent, wherever either is.
        for interface in own where !drawn.contains(interface.id) && parent(of: interface) == nil
            && interface.master.map({ master in !own.contains { $0.index == master } }) ?? true {
            drawn.insert(interface.id)
            lines += ["  " + line(for: interface, drawn: &drawn) + userNetworkNote(interface)] + childLines(interface, indent: "     ", drawn: &drawn)
            guard interface.kind == "bridge" else { continue }
            let ports = ports(of: interface)
            for (position, port) in ports.enumerated() {
                drawn.insert(port.id)
                lines.append("  " + (position == ports.count - 1 ? "└─ " : "├─ ") + line(for: port, drawn: &drawn))
                lines += childLines(port, indent: "        ", drawn: &drawn)
            }
        }
        if own.isEmpty { lines.append("  (no links)") }
        // As many rules a line as fit, rather than one line cut short.
        for (position, rule) in (nat[namespace] ?? []).enumerated() {
            if position > 0, lines[lines.count - 1].count + rule.count + 3 <= width {
                lines[lines.count - 1] += "; " + rule
            } else {
                if position > 0 { lines[lines.count - 1] += ";" }
                lines.append((position == 0 ? "  nat: " : "       ") + rule)
            }
        }
        return lines
    }

    /// The LAN bridge and the hosts on it, in the order of its ports: the first bridge whose
    /// ports lead into other namespaces, two or more of which hold more than their cable and
    /// lo (a bridge, a VXLAN device, another cable). Containers on docker0 hold only their
    /// eth0: they are drawn on their bridge, not as hosts.
    private func underlay() -> (Interface, [String])? {
        for bridge in interfaces where bridge.kind == "bridge" {
            var hosts: [String] = [], busy = 0
            for port in ports(of: bridge) {
                guard let cable = peer(of: port), cable.namespace != bridge.namespace, !hosts.contains(cable.namespace) else { continue }
                hosts.append(cable.namespace)
                if interfaces.contains(where: { $0.namespace == cable.namespace && $0.id != cable.id && $0.kind != nil }) { busy += 1 }
            }
            if busy >= 2 { return (bridge, hosts) }
        }
        return nil
    }

    /// A user-defined network's bridge (in the session's own namespace, where `network create`
    /// makes them) is marked, with the containers its resolver serves.
    private func userNetworkNote(_ interface: Interface) -> String {
        guard interface.kind == "bridge", interface.namespace == NetworkPlaces.host, let served = userNetworks[interface.name] else { return "" }
        return "  [user-defined network; resolver at 127.0.0.11 serves " + (served.isEmpty ? "no container" : served.joined(separator: ", ")) + "]"
    }

    private func label(_ interface: Interface) -> String {
        ([interface.name, interface.kind == "veth" || interface.kind == nil ? nil : interface.kind, interface.state]
            .compactMap { $0 } + interface.addresses).joined(separator: " ")
    }

    /// The macvlan and ipvlan links on `interface` and on its veth peer, one a line, with
    /// their mode and the namespace they are in when it is not the parent's.
    private func childLines(_ interface: Interface, indent: String, drawn: inout Set<String>) -> [String] {
        let parents = [interface] + (peer(of: interface).map { [$0] } ?? [])
        return parents.flatMap { parent in
            children(of: parent).filter { !drawn.contains($0.id) }.map { child in
                drawn.insert(child.id)
                let place = child.namespace == parent.namespace ? "" : "\(child.namespace == NetworkPlaces.host ? "host" : child.namespace): "
                let label = ([child.name, child.kind, child.mode, child.state].compactMap { $0 } + child.addresses).joined(separator: " ")
                return indent + "⤷ " + place + label + (parent.id == interface.id ? "" : " (on \(parent.name))")
            }
        }
    }

    /// An interface, and across its cable the peer (which is then drawn).
    private func line(for interface: Interface, drawn: inout Set<String>) -> String {
        var text = label(interface)
        if let peer = peer(of: interface) {
            drawn.insert(peer.id)
            let place = peer.namespace == interface.namespace ? "" : "\(peer.namespace == NetworkPlaces.host ? "host" : peer.namespace): "
            text += " ═════ " + place + label(peer)
            if let master = peer.master, let bridge = interfaces.first(where: { $0.namespace == peer.namespace && $0.index == master }) {
                text += " (port of \(bridge.name))"
            }
        }
        return text
    }

    /// Graphviz: a cluster per namespace, a node per link, bold edges for veth pairs and
    /// dashed ones from bridges to their ports.
    public func dot() -> String {
        var out = ["graph network {", "  rankdir=LR;", "  node [shape=box, fontname=\"monospace\"];"]
        func node(_ interface: Interface) -> String { "\"\(interface.id)\"" }
        for (number, namespace) in namespaces.enumerated() {
            out.append("  subgraph cluster_\(number) {")
            out.append("    label=\"\(namespace == NetworkPlaces.host ? "host" : "netns \(namespace)")\";")
            for interface in interfaces where interface.namespace == namespace {
                out.append("    \(node(interface)) [label=\"\(label(interface).replacing(" ", with: "\\n"))\"];")
            }
            out.append("  }")
        }
        var paired = Set<String>()
        for interface in interfaces {
            if let peer = peer(of: interface), !paired.contains(peer.id) {
                paired.insert(interface.id)
                out.append("  \(node(interface)) -- \(node(peer)) [penwidth=3, label=\"veth\"];")
            }
            if let master = interface.master, let bridge = interfaces.first(where: { $0.namespace == interface.namespace && $0.index == master }) {
                out.append("  \(node(bridge)) -- \(node(interface)) [style=dashed];")
            }
            if let parent = parent(of: interface) {
                out.append("  \(node(parent)) -- \(node(interface)) [style=dotted, label=\"\([interface.kind, interface.mode].compactMap { $0 }.joined(separator: " "))\"];")
            }
        }
        out.append("}")
        return out.joined(separator: "\n")
    }
}
