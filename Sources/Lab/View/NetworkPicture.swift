/// The network as boxes: a box per namespace (the session's own first) holding its links as
/// rounded rectangles with their state and addresses; a veth pair is a thick line between
/// its ends, a bridge has lines down to its ports, a macvlan or ipvlan a dotted line to the
/// link it sits on.
public enum NetworkPicture {
    public static func svg(_ scene: Scene, changed: Set<String>, large: Bool) -> String {
        let m = Metrics(large: large)
        let topology = scene.network
        let margin = m(16), columnGap = m(72), rowGap = m(48), maxWidth = m(1200)
        let names = topology.namespaces.filter { $0 == NetworkPlaces.host } + topology.namespaces.filter { $0 != NetworkPlaces.host }
        var boxes = names.map { Box($0, topology, m) }
        // Left to right, a new row when the next box would pass maxWidth.
        var x = margin, y = margin, rowHeight = 0.0
        for index in boxes.indices {
            if x > margin, x + boxes[index].frame.width > maxWidth {
                (x, y, rowHeight) = (margin, y + rowHeight + rowGap, 0)
            }
            boxes[index].move(to: x, y)
            x += boxes[index].frame.width + columnGap
            rowHeight = max(rowHeight, boxes[index].frame.height)
        }
        let frames = Dictionary(boxes.flatMap { box in box.links.map { ($0.interface.id, (link: $0.frame, box: box.frame)) } }) { first, _ in first }
        var lines: [SVG] = []
        for interface in topology.interfaces {
            guard let from = frames[interface.id] else { continue }
            for (id, other, kind) in topology.connections(of: interface) {
                guard let to = frames[other.id] else { continue }
                let points = kind == "port"
                    ? [(from.link.x + m(10), from.link.bottom), (from.link.x + m(10), to.link.midY), (to.link.x, to.link.midY)]
                    : route(from.link, to.link, sameBox: from.box == to.box, edge: from.box.right - m(6))
                lines.append(.group(id: id, kind: kind, changed: changed, [SVG.polyline(points, class: kind)]))
            }
        }
        let width = (boxes.map(\.frame.right).max() ?? 0) + margin
        let height = (boxes.map(\.frame.bottom).max() ?? 0) + margin
        let empty = boxes.isEmpty ? [SVG.text("no network namespace could be read", x: margin, y: margin + m.font, class: "dim")] : []
        return m.document(.net, width: max(width, m(360)), height: max(height, m(48)),
                          boxes.map { $0.svg(changed, topology, m) } + lines + empty)
    }

    /// A line between two links: from the sides that face each other, or for two links of
    /// one namespace along the inside of its right edge.
    private static func route(_ a: Frame, _ b: Frame, sameBox: Bool, edge: Double) -> [(x: Double, y: Double)] {
        if sameBox { return [(a.right, a.midY), (edge, a.midY), (edge, b.midY), (b.right, b.midY)] }
        if b.x >= a.right { return [(a.right, a.midY), (b.x, b.midY)] }
        if b.right <= a.x { return [(a.x, a.midY), (b.right, b.midY)] }
        return b.y >= a.bottom ? [(a.midX, a.bottom), (b.midX, b.y)] : [(a.midX, a.y), (b.midX, b.bottom)]
    }

    /// A namespace's box: its heading, its links one below the other (a bridge's ports
    /// indented under it) and its NAT rules.
    private struct Box {
        let name: String
        let heading: [String]
        var frame: Frame
        var links: [(interface: Topology.Interface, frame: Frame, lines: [String])] = []
        let nat: [String]
        let natTop: Double

        init(_ name: String, _ topology: Topology, _ m: Metrics) {
            self.name = name
            let pad = m(12)
            heading = [name == NetworkPlaces.host ? "host (the session's own)" : name.hasPrefix("$") ? "netns of \(name)" : "netns \(name)"]
                + (topology.defaultRoutes[name].map { ["default via \($0)"] } ?? [])
            var y = pad + Double(heading.count) * m.line + m(4)
            var width = heading.map(m.width).max() ?? 0
            for (interface, depth) in Box.ordered(topology.interfaces.filter { $0.namespace == name }, topology) {
                let lines = Box.label(interface, topology)
                let frame = Frame(x: pad + Double(depth) * m(24), y: y, width: (lines.map(m.width).max() ?? 0) + m(16),
                                  height: Double(lines.count) * m.line + m(8))
                links.append((interface, frame, lines))
                width = max(width, frame.right - pad)
                y = frame.bottom + m(8)
            }
            let rules = topology.nat[name] ?? []
            nat = rules.enumerated().map { ($0.offset == 0 ? "nat: " : "     ") + $0.element } + (links.isEmpty ? ["(no links)"] : [])
            natTop = y
            width = max(width, nat.map(m.width).max() ?? 0)
            frame = Frame(x: 0, y: 0, width: width + 2 * pad + m(8), height: y + Double(nat.count) * m.line + pad)
        }

        mutating func move(to x: Double, _ y: Double) {
            let (dx, dy) = (x - frame.x, y - frame.y)
            frame.x = x
            frame.y = y
            for index in links.indices {
                links[index].frame.x += dx
                links[index].frame.y += dy
            }
        }

        func svg(_ changed: Set<String>, _ topology: Topology, _ m: Metrics) -> SVG {
            var children: [SVG] = [.rect(frame, class: name == NetworkPlaces.host ? "box host frame" : "box frame", radius: m(6))]
            for (number, line) in heading.enumerated() {
                children.append(.text(line, x: frame.x + m(12), y: frame.y + m(12) + m.font + Double(number) * m.line, class: number == 0 ? "heading" : "dim"))
            }
            for (interface, box, lines) in links {
                let kind = interface.kind ?? (interface.name == "lo" ? "loopback" : "device")
                var parts: [SVG] = [.rect(box, class: interface.up ? "link frame" : "link down frame", radius: m(8))]
                for (number, line) in lines.enumerated() {
                    parts.append(.text(line, x: box.x + m(8), y: box.y + m(4) + m.font + Double(number) * m.line, class: number == 0 ? nil : "dim"))
                }
                children.append(.group(id: ElementID.link(interface), kind: kind, changed: changed, attributes: [("data-state", interface.state)], parts))
            }
            for (number, line) in nat.enumerated() {
                children.append(.text(line, x: frame.x + m(12), y: frame.y + natTop + m.font + Double(number) * m.line, class: "dim"))
            }
            return .group(id: ElementID.namespace(name), kind: "namespace", changed: changed, children)
        }

        /// The links in the kernel's order, each bridge followed by its ports (depth 1).
        static func ordered(_ own: [Topology.Interface], _ topology: Topology) -> [(Topology.Interface, Int)] {
            var placed: [(Topology.Interface, Int)] = []
            let bridged = Set(own.filter { $0.kind == "bridge" }.flatMap { topology.ports(of: $0).map(\.id) })
            for interface in own where !bridged.contains(interface.id) {
                placed.append((interface, 0))
                if interface.kind == "bridge" { placed += topology.ports(of: interface).map { ($0, 1) } }
            }
            return placed
        }

        /// `eth0 veth` / `UP 10.0.0.1/24`, an address a line; a user-defined network's bridge
        /// says whom its resolver serves.
        static func label(_ interface: Topology.Interface, _ topology: Topology) -> [String] {
            let addresses = interface.addresses.isEmpty ? [interface.state] : interface.addresses.enumerated().map {
                ($0.offset == 0 ? interface.state + " " : String(repeating: " ", count: interface.state.count + 1)) + $0.element
            }
            var lines = [([interface.name] + [interface.kind, interface.mode].compactMap { $0 }).joined(separator: " ")] + addresses
            if interface.kind == "bridge", interface.namespace == NetworkPlaces.host, let served = topology.userNetworks[interface.name] {
                lines.append("network; resolver serves " + (served.isEmpty ? "none" : served.joined(separator: ", ")))
            }
            return lines
        }
    }
}
