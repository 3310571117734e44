import Kernel

/// The wiring of every network namespace the lab can see: links, the veth pairs between
/// them, bridges and their ports, addresses and default routes.
public struct Topology: Sendable, Equatable {
    public struct Interface: Sendable, Equatable {
        public var namespace: String
        public var index: Int32
        public var name: String
        public var kind: String?
        public var up: Bool
        public var addresses: [String]
        public var master: Int32?
        /// The veth peer's ifindex, and the namespace it is in.
        var peerIndex: Int32?
        var peerNamespace: String?
        /// A macvlan's or ipvlan's mode, and the index of the link it sits on, in `parentNamespace`.
        public var mode: String?
        var parentIndex: Int32?
        var parentNamespace: String?

        public init(namespace: String, index: Int32, name: String, kind: String?, up: Bool, addresses: [String],
                    master: Int32?, peerIndex: Int32?, peerNamespace: String?,
                    mode: String? = nil, parentIndex: Int32? = nil, parentNamespace: String? = nil) {
            self.namespace = namespace
            self.index = index
            self.name = name
            self.kind = kind
            self.up = up
            self.addresses = addresses
            self.master = master
            self.peerIndex = peerIndex
            self.peerNamespace = peerNamespace
            self.mode = mode
            self.parentIndex = parentIndex
            self.parentNamespace = parentNamespace
        }

        var id: String { "\(namespace)/\(name)" }
        var state: String { up ? "UP" : "DOWN" }
    }

    public var namespaces: [String]
    public var interfaces: [Interface]
    public var defaultRoutes: [String: String]
    /// What each namespace's NAT rules do (`masquerade 172.17.0.0/16 → out !docker0`), in
    /// the order of its chains; namespaces without NAT are absent.
    public var nat: [String: [String]]
    /// The bridges of the session's namespace that are user-defined networks (`network
    /// create`), each with the running containers on it whose embedded resolver runs.
    public var userNetworks: [String: [String]]

    public init(namespaces: [String], interfaces: [Interface], defaultRoutes: [String: String], nat: [String: [String]] = [:],
                userNetworks: [String: [String]] = [:]) {
        self.namespaces = namespaces
        self.interfaces = interfaces
        self.defaultRoutes = defaultRoutes
        self.nat = nat
        self.userNetworks = userNetworks
    }

    /// Reads every namespace with rtnetlink (untraced: this is BoxLab looking, not the learner
    /// acting), and from `run` which bridges are user-defined networks and whom their
    /// resolvers serve. `unnamed` adds namespaces no file in /run/netns names, each by a
    /// process in it (`$c1`, which `places` resolves through its variables).
    public static func read(_ places: NetworkPlaces = NetworkPlaces(), run: RunDirectory? = nil, unnamed: [String] = []) -> Topology {
        Trace.untraced {
            var topology = Topology(namespaces: [], interfaces: [], defaultRoutes: [:])
            if let run {
                let running = ContainerState.all(run.containers).filter(\.isRunning)
                for network in UserNetwork.all(run) {
                    topology.userNetworks[network.name] = running.filter { state in
                        state.endpoints.contains { $0.network == network.name } && state.resolverIsRunning
                    }.map(\.name)
                }
            }
            let names = places.all() + unnamed
            let handles = Dictionary(uniqueKeysWithValues: names.compactMap { name in
                (try? name == NetworkPlaces.host ? NetworkNamespace.current() : places.open(name)).map { (name, $0) }
            })
            for name in names {
                guard let netlink = try? places.netlink(name), let view = try? NetworkView(netlink, addresses: true, routes: true) else { continue }
                topology.namespaces.append(name)
                // A link's peer namespace comes as an id that only means something here: ask this
                // namespace which id it gave each of the others (as `ip` does for link-netnsid).
                var byID: [Int32: String] = [:]
                for (other, handle) in handles where other != name {
                    if let id = try? netlink.namespaceID(of: .namespace(handle)) { byID[id] = other }
                }
                for link in view.links {
                    let addresses = view.addresses.filter { $0.index == link.index && $0.family == .inet }.map(\.prefix.description)
                    let otherNamespace = link.linkNetnsID.map { byID[$0] } ?? name
                    let child = link.kind == "macvlan" || link.kind == "ipvlan"
                    topology.interfaces.append(Interface(
                        namespace: name, index: link.index, name: link.name, kind: link.kind, up: link.isUp, addresses: addresses,
                        master: link.master, peerIndex: link.kind == "veth" ? link.link : nil, peerNamespace: otherNamespace,
                        mode: link.mode, parentIndex: child ? link.link : nil, parentNamespace: child ? otherNamespace : nil))
                }
                if let route = view.routes.first(where: { $0.destination.isDefault }), let gateway = route.gateway {
                    topology.defaultRoutes[name] = gateway.description
                }
                let rules = NetfilterSnapshot.kernelHasTables ? (try? places.perform(in: name) { () throws(KernelError) in try NFTables().rules() }) ?? [] : []
                let nat = rules.compactMap { NATSummary($0)?.text }
                if !nat.isEmpty { topology.nat[name] = nat }
            }
            return topology
        }
    }

    /// The other end of a veth: the link with the peer's index in the peer's namespace (an
    /// ifindex is unique only within a namespace).
    public func peer(of interface: Interface) -> Interface? {
        guard let peerIndex = interface.peerIndex, let namespace = interface.peerNamespace else { return nil }
        return interfaces.first { $0.namespace == namespace && $0.index == peerIndex && $0.id != interface.id }
    }

    /// The link a macvlan or ipvlan sits on, in its namespace (which may be another's).
    public func parent(of interface: Interface) -> Interface? {
        guard let index = interface.parentIndex, let namespace = interface.parentNamespace else { return nil }
        return interfaces.first { $0.namespace == namespace && $0.index == index }
    }

    /// The macvlan and ipvlan links on `parent`, wherever they were moved.
    func children(of parent: Interface) -> [Interface] {
        interfaces.filter { $0.parentNamespace == parent.namespace && $0.parentIndex == parent.index && $0.id != parent.id }
    }

    func ports(of bridge: Interface) -> [Interface] {
        interfaces.filter { $0.namespace == bridge.namespace && $0.master == bridge.index }
    }
}
