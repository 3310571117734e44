import Kernel

/// The wiring of every network namespace the lab can see: links, the veth pairs between
/// them, bridges and their ports, addresses and default routes.
public struct Topology: Sendable {
    public struct Interface: Sendable, Equatable {
        public var namespace: String
        public var index: Int32
        public var name: String
        public var kind: String?
        public var up: Bool
        public var addresses: [String]
        public var master: Int32?
        /// The veth peer's ifindex, in this namespace or another.
        var peerIndex: Int32?
        var peerInOtherNamespace: Bool

        var id: String { "\(namespace)/\(name)" }
        var state: String { up ? "UP" : "DOWN" }
    }

    public var namespaces: [String]
    public var interfaces: [Interface]
    public var defaultRoutes: [String: String]

    /// Reads every namespace with rtnetlink (untraced: this is BoxLab looking, not the learner acting).
    public static func read(_ places: NetworkPlaces = NetworkPlaces()) -> Topology {
        Trace.untraced {
            var topology = Topology(namespaces: [], interfaces: [], defaultRoutes: [:])
            for name in places.all() {
                guard let netlink = try? places.netlink(name), let view = try? NetworkView(netlink, addresses: true, routes: true) else { continue }
                topology.namespaces.append(name)
                for link in view.links {
                    let addresses = view.addresses.filter { $0.index == link.index && $0.family == .inet }.map(\.prefix.description)
                    topology.interfaces.append(Interface(
                        namespace: name, index: link.index, name: link.name, kind: link.kind, up: link.isUp, addresses: addresses,
                        master: link.master, peerIndex: link.kind == "veth" ? link.link : nil, peerInOtherNamespace: link.linkNetnsID != nil))
                }
                if let route = view.routes.first(where: { $0.destination.isDefault }), let gateway = route.gateway {
                    topology.defaultRoutes[name] = gateway.description
                }
            }
            return topology
        }
    }

    /// The other end of a veth: the veth that names this one's index as its peer, back. An
    /// ifindex is unique only within a namespace, so both directions must agree.
    public func peer(of interface: Interface) -> Interface? {
        guard let peerIndex = interface.peerIndex else { return nil }
        return interfaces.first { other in
            other.index == peerIndex && other.peerIndex == interface.index && other.id != interface.id
                && (other.namespace == interface.namespace) != interface.peerInOtherNamespace
        }
    }

    func ports(of bridge: Interface) -> [Interface] {
        interfaces.filter { $0.namespace == bridge.namespace && $0.master == bridge.index }
    }
}
