import Testing
@testable import Lab

struct TopologyTests {
    /// docker0 with a container, and a red-blue cable, as the kernel would report them
    /// (ifindexes are per namespace: red's eth0 and c1's eth0 both point at a peer with index 2 or 3).
    static let sample = Topology(namespaces: ["host", "c1", "red", "blue"], interfaces: [
        .init(namespace: "host", index: 1, name: "lo", kind: nil, up: true, addresses: ["127.0.0.1/8"], master: nil, peerIndex: nil, peerNamespace: nil),
        .init(namespace: "host", index: 2, name: "docker0", kind: "bridge", up: true, addresses: ["172.17.0.1/16"], master: nil, peerIndex: nil, peerNamespace: nil),
        .init(namespace: "host", index: 3, name: "veth-c1", kind: "veth", up: true, addresses: [], master: 2, peerIndex: 2, peerNamespace: "c1"),
        .init(namespace: "c1", index: 2, name: "eth0", kind: "veth", up: true, addresses: ["172.17.0.2/16"], master: nil, peerIndex: 3, peerNamespace: "host"),
        .init(namespace: "red", index: 3, name: "eth0", kind: "veth", up: false, addresses: ["10.0.0.1/24"], master: nil, peerIndex: 2, peerNamespace: "blue"),
        .init(namespace: "blue", index: 2, name: "eth0", kind: "veth", up: false, addresses: ["10.0.0.2/24"], master: nil, peerIndex: 3, peerNamespace: "red"),
    ], defaultRoutes: ["c1": "172.17.0.1"])

    @Test func text() {
        let picture = TopologyTests.sample.text()
        #expect(picture.contains("  docker0 bridge UP 172.17.0.1/16\n  └─ veth-c1 UP ═════ c1: eth0 UP 172.17.0.2/16"))
        #expect(picture.contains("netns c1  default via 172.17.0.1"))
        // Each cable is drawn once, from the side listed first.
        #expect(picture.contains("  eth0 DOWN 10.0.0.1/24 ═════ blue: eth0 DOWN 10.0.0.2/24"))
        #expect(picture.split(separator: "\n").allSatisfy { $0.count <= 100 })
    }

    @Test("a user-defined network's bridge is marked with the containers its resolver serves; docker0 made by hand is not")
    func userNetworks() {
        var topology = TopologyTests.sample
        topology.interfaces.append(.init(namespace: "host", index: 4, name: "backend", kind: "bridge", up: true, addresses: ["172.18.0.1/16"], master: nil, peerIndex: nil, peerNamespace: nil))
        topology.userNetworks = ["backend": ["web", "db"]]
        let lines = topology.text().split(separator: "\n")
        #expect(lines.contains("  backend bridge UP 172.18.0.1/16  [user-defined network; resolver at 127.0.0.11 serves web, db]"), "\(lines)")
        #expect(lines.contains("  docker0 bridge UP 172.17.0.1/16"))
    }

    @Test("a veth's peer is looked up in its own namespace: red's eth0 points at index 2, which c1 has too")
    func peers() {
        let topology = TopologyTests.sample
        let red = topology.interfaces.first { $0.namespace == "red" }!
        #expect(topology.peer(of: red)?.namespace == "blue")
        let c1 = topology.interfaces.first { $0.namespace == "c1" }!
        #expect(topology.peer(of: c1)?.name == "veth-c1")
    }

    /// A LAN's uplink on the host with a macvlan child on the host and one moved into m1,
    /// whose IFLA_LINK names the uplink by its index in the host (link-netnsid).
    static let macvlan = Topology(namespaces: ["host", "lan", "m1"], interfaces: [
        .init(namespace: "host", index: 2, name: "uplink", kind: "veth", up: true, addresses: ["192.168.50.2/24"], master: nil, peerIndex: 3, peerNamespace: "lan"),
        .init(namespace: "host", index: 5, name: "mv-host", kind: "macvlan", up: true, addresses: ["192.168.50.3/32"], master: nil, peerIndex: nil,
              peerNamespace: "host", mode: "bridge", parentIndex: 2, parentNamespace: "host"),
        .init(namespace: "lan", index: 2, name: "switch", kind: "bridge", up: true, addresses: [], master: nil, peerIndex: nil, peerNamespace: nil),
        .init(namespace: "lan", index: 3, name: "port-host", kind: "veth", up: true, addresses: [], master: 2, peerIndex: 2, peerNamespace: "host"),
        .init(namespace: "m1", index: 2, name: "eth0", kind: "macvlan", up: true, addresses: ["192.168.50.11/24"], master: nil, peerIndex: nil,
              peerNamespace: "host", mode: "private", parentIndex: 2, parentNamespace: "host"),
    ], defaultRoutes: [:])

    @Test("macvlan and ipvlan children are drawn once, on their parent, with their mode")
    func children() {
        let topology = TopologyTests.macvlan
        let picture = topology.text()
        #expect(picture.contains("""
              uplink UP 192.168.50.2/24 ═════ lan: port-host UP (port of switch)
                 ⤷ mv-host macvlan bridge UP 192.168.50.3/32
                 ⤷ m1: eth0 macvlan private UP 192.168.50.11/24
            """), "\(picture)")
        #expect(picture.components(separatedBy: "⤷ m1: eth0").count == 2, "drawn once: \(picture)")
        let child = topology.interfaces.first { $0.namespace == "m1" }!
        #expect(topology.parent(of: child)?.name == "uplink", "index 2 in the host, not m1's own index 2")
        #expect(topology.dot().contains("\"host/uplink\" -- \"m1/eth0\" [style=dotted, label=\"macvlan private\"];"))
    }

    @Test func dot() {
        let graph = TopologyTests.sample.dot()
        #expect(graph.hasPrefix("graph network {"))
        #expect(graph.contains("\"host/veth-c1\" -- \"c1/eth0\" [penwidth=3, label=\"veth\"];"))
        #expect(graph.contains("\"host/docker0\" -- \"host/veth-c1\" [style=dashed];"))
        #expect(graph.contains("subgraph cluster_2 {\n    label=\"netns red\";"))
    }

    /// Lab 11's layout: a LAN bridge in `lan` with two hosts on it, each with docker0 and a container.
    static let hosts = Topology(namespaces: ["host", "c2", "c3", "lan", "node2", "node3"], interfaces: [
        .init(namespace: "lan", index: 2, name: "switch", kind: "bridge", up: true, addresses: [], master: nil, peerIndex: nil, peerNamespace: nil),
        .init(namespace: "lan", index: 3, name: "port-node2", kind: "veth", up: true, addresses: [], master: 2, peerIndex: 2, peerNamespace: "node2"),
        .init(namespace: "lan", index: 4, name: "port-node3", kind: "veth", up: true, addresses: [], master: 2, peerIndex: 2, peerNamespace: "node3"),
        .init(namespace: "node2", index: 2, name: "eth0", kind: "veth", up: true, addresses: ["192.168.32.129/24"], master: nil, peerIndex: 3, peerNamespace: "lan"),
        .init(namespace: "node2", index: 3, name: "docker0", kind: "bridge", up: true, addresses: ["172.18.1.1/24"], master: nil, peerIndex: nil, peerNamespace: nil),
        .init(namespace: "node2", index: 4, name: "veth-c2", kind: "veth", up: true, addresses: [], master: 3, peerIndex: 2, peerNamespace: "c2"),
        .init(namespace: "c2", index: 2, name: "eth0", kind: "veth", up: true, addresses: ["172.18.1.2/24"], master: nil, peerIndex: 4, peerNamespace: "node2"),
        .init(namespace: "node3", index: 2, name: "eth0", kind: "veth", up: true, addresses: ["192.168.32.130/24"], master: nil, peerIndex: 4, peerNamespace: "lan"),
        .init(namespace: "node3", index: 3, name: "flannel.1", kind: "vxlan", up: true, addresses: ["172.18.2.0/32"], master: nil, peerIndex: nil, peerNamespace: nil),
    ], defaultRoutes: ["c2": "172.18.1.1"])

    @Test("hosts on a LAN are boxes below it, holding their bridges and the containers on them")
    func hostsOnALAN() {
        let lines = TopologyTests.hosts.text().split(separator: "\n").map(String.init)
        #expect(lines.contains("LAN lan: switch bridge UP, 2 hosts on it:"), "\(lines)")
        let node2 = lines.firstIndex { $0.hasPrefix("  ┌─ node2 ─") }
        #expect(node2 != nil, "\(lines)")
        if let node2 {
            #expect(lines[node2 + 1].hasPrefix("  │  eth0 UP 192.168.32.129/24 ═════ lan: port-node2 UP (port of switch)"))
            #expect(lines[node2 + 2].hasPrefix("  │  docker0 bridge UP 172.18.1.1/24"))
            #expect(lines[node2 + 3].hasPrefix("  │  └─ veth-c2 UP ═════ c2: eth0 UP 172.18.1.2/24"))
            #expect(lines[node2 + 4].hasPrefix("  └──"))
        }
        #expect(lines.contains { $0.hasPrefix("  │  flannel.1 vxlan UP 172.18.2.0/32") })
        // Every line of a box is as wide as the picture; lan itself holds nothing more.
        #expect(lines.filter { $0.hasPrefix("  │") || $0.hasPrefix("  ┌") || $0.hasPrefix("  └") }.allSatisfy { $0.count == 100 })
        #expect(!lines.contains("netns lan"))
        #expect(lines.contains("netns c2  default via 172.18.1.1"))
    }

    @Test("a bridge with one other namespace on it is not a LAN of hosts, nor docker0 with containers that hold only their eth0")
    func noLAN() {
        #expect(!TopologyTests.macvlan.text().contains("LAN "))
        var containers = TopologyTests.sample
        containers.namespaces.append("c2")
        containers.interfaces += [
            .init(namespace: "host", index: 5, name: "veth-c2", kind: "veth", up: true, addresses: [], master: 2, peerIndex: 2, peerNamespace: "c2"),
            .init(namespace: "c2", index: 2, name: "eth0", kind: "veth", up: true, addresses: ["172.17.0.3/16"], master: nil, peerIndex: 5, peerNamespace: "host"),
            .init(namespace: "c2", index: 1, name: "lo", kind: nil, up: false, addresses: [], master: nil, peerIndex: nil, peerNamespace: nil),
        ]
        let picture = containers.text()
        #expect(!picture.contains("LAN "), "\(picture)")
        #expect(picture.contains("  ├─ veth-c1 UP ═════ c1: eth0 UP 172.17.0.2/16"), "\(picture)")
    }
}
