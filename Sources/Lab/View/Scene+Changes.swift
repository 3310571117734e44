/// The ids the pictures give what they draw (`data-id`), and what changed between two scenes.
extension Scene {
    /// Ids of the elements that are new since `previous` or show something different; none
    /// without a scene to compare with (a browser that starts watching highlights nothing).
    public func changes(from previous: Scene?) -> Set<String> {
        guard let previous else { return [] }
        let before = previous.elements()
        return Set(elements().filter { before[$0.key] != $0.value }.keys)
    }

    /// Every element a picture draws, by id, with what it shows. A group's memory and process
    /// counts are left out: they move while nothing is done, and would flag it at every step.
    func elements() -> [String: String] {
        var elements: [String: String] = [:]
        for name in network.namespaces {
            elements[ElementID.namespace(name)] = "\(network.defaultRoutes[name] ?? "") \(network.nat[name] ?? [])"
        }
        for interface in network.interfaces {
            elements[ElementID.link(interface)] = "\(interface) \(network.userNetworks[interface.name] ?? [])"
            for line in network.connections(of: interface) { elements[line.id] = "" }
        }
        for (mount, id) in zip(mounts, mountIDs) {
            elements[id] = "\(mount)"
            for layer in Scene.layers(of: mount, id: id) { elements[layer.id] = layer.path }
        }
        for group in cgroups {
            elements[ElementID.cgroup(group.path)] = "\(group.memoryLimit as Any) \(group.processLimit as Any) \(group.cpuLimit as Any) \(group.frozen as Any) \(group.processes)"
        }
        for process in processes {
            // In the columns' order: a dictionary's own order differs between equal ones.
            elements[ElementID.process(process.pid)] = "\(process.command) \(process.names) \(Scene.namespaceKinds.map { process.namespaces[$0] })"
        }
        return elements
    }

    /// `mount:<ws>/merged`; a mount stacked on another at the same point is `mount:<ws>/merged#2`.
    var mountIDs: [String] {
        var seen: [String: Int] = [:]
        return mounts.map { mount in
            seen[mount.point, default: 0] += 1
            let count = seen[mount.point]!
            return ElementID.mount(mount.point) + (count > 1 ? "#\(count)" : "")
        }
    }

    /// An overlay's layers as the picture stacks them, top down: merged, upper, the lowers in
    /// lowerdir's order (`lower:1` is the top one), and work beside them.
    static func layers(of mount: Mount, id: String) -> [(id: String, role: String, order: Int, path: String)] {
        guard let overlay = mount.overlay else { return [] }
        var layers = [(id: id + ":merged", role: "merged", path: mount.point)]
        if let upper = overlay.upper { layers.append((id + ":upper", "upper", upper)) }
        for (number, lower) in overlay.lower.enumerated() { layers.append((id + ":lower:\(number + 1)", "lower", lower)) }
        if let work = overlay.work { layers.append((id + ":work", "work", work)) }
        return layers.enumerated().map { order, layer in
            ("layer:" + layer.id.dropFirst("mount:".count), layer.role, order, layer.path)
        }
    }
}

/// The `data-id` of each kind of element.
enum ElementID {
    static func namespace(_ name: String) -> String { "ns:" + name }
    static func link(_ interface: Topology.Interface) -> String { "link:" + interface.id }
    static func mount(_ point: String) -> String { "mount:" + point }
    static func cgroup(_ path: String) -> String { "cgroup:" + path }
    static func process(_ pid: Int32) -> String { "proc:\(pid)" }
}

extension Topology {
    /// The lines drawn from `interface` to others, by id and kind: to its veth peer (each pair
    /// once, from the end listed first), from a bridge to each port, from a parent to each
    /// macvlan or ipvlan on it.
    func connections(of interface: Interface) -> [(id: String, to: Interface, kind: String)] {
        var lines: [(String, Interface, String)] = []
        if let peer = peer(of: interface), let mine = interfaces.firstIndex(of: interface),
           let theirs = interfaces.firstIndex(of: peer), mine < theirs {
            lines.append(("cable:\(interface.id)~\(peer.id)", peer, "cable"))
        }
        if interface.kind == "bridge" {
            lines += ports(of: interface).map { ("port:\(interface.id)~\($0.id)", $0, "port") }
        }
        lines += children(of: interface).map { ("parent:\(interface.id)~\($0.id)", $0, "parent") }
        return lines
    }
}
