extension Expectation {
    /// How the learner makes this expectation false again, for the cause of a failing
    /// `not …`: the inverse of the command that makes it true. Nil where no one command
    /// undoes it (a counter, a namespace comparison).
    var undoing: String? {
        switch self {
        case .mount(let path, _, _, _, _): "`umount \(path)` removes it"
        case .file(let path, _), .whiteout(let path): "`rm \(path)` removes it"
        case .directory(let path, _), .opaque(let path): "`rm -r \(path)` removes it"
        case .netns(let name): "`ip netns del \(name)` removes it"
        case .link(let link):
            "`\(Expectation.ip(link.namespace)) link del \(link.name)` removes it; a veth goes with its peer, and both go with the namespace that holds either end"
        case .address(let prefix, let link, let namespace):
            "`\(Expectation.ip(namespace)) addr del \(prefix) dev \(link)` removes it"
        case .route(let destination, _, _, _, let namespace):
            "`\(Expectation.ip(namespace)) route del \(destination)` removes it"
        case .neighbour(let address, _, let device, let namespace):
            "`\(Expectation.ip(namespace)) neigh del \(address) dev \(device)` removes it"
        case .fdb(let fdb):
            if case .destination(let host) = fdb.place, case .address(let mac) = fdb.entry {
                "`\(Expectation.bridge(fdb.namespace)) fdb del \(mac) dev \(fdb.device) dst \(host)` removes it"
            } else { nil }
        case .reach(let address, _):
            "something still answers at \(address): its address, its link or its namespace is still there; or, routed through the host, no FORWARD rule drops the packets (a chain sees only what FORWARD jumps to: iptables -I FORWARD -j CHAIN)"
        case .connect(_, let port, _): "a server still listens on port \(port) there: stop it"
        case .resolve(let resolve):
            "\(resolve.from) finds \(resolve.name) in its /etc/hosts (a --link line) or through the embedded resolver, which answers the names of the containers on the networks it shares with \(resolve.from): a container on none of them does not find it"
        case .process(.state(let process, true)): "`kill \(process)` ends it"
        case .within(_, let inner), .still(let inner): inner.undoing
        default: nil
        }
    }

    /// bridge(8) working in `namespace`: `bridge -n NAME`, or nsenter(1) for a process's.
    static func bridge(_ namespace: String) -> String {
        if namespace == NetworkPlaces.host { return "bridge" }
        return namespace.hasPrefix("$") || Int32(namespace) != nil ? "nsenter -t \(namespace) -n bridge" : "bridge -n \(namespace)"
    }

    /// Any program run in `namespace`'s network: `ip netns exec NAME PROGRAM`, or nsenter(1)
    /// for a process's.
    static func run(_ program: String, in namespace: String) -> String {
        if namespace == NetworkPlaces.host { return program }
        return namespace.hasPrefix("$") || Int32(namespace) != nil ? "nsenter -t \(namespace) -n \(program)" : "ip netns exec \(namespace) \(program)"
    }

    /// ip(8) working in `namespace`: `ip -n NAME` for a named one, nsenter(1) for a
    /// process's (`$box`), which has no name `ip -n` knows.
    static func ip(_ namespace: String) -> String {
        if namespace == NetworkPlaces.host { return "ip" }
        return namespace.hasPrefix("$") || Int32(namespace) != nil ? "nsenter -t \(namespace) -n ip" : "ip -n \(namespace)"
    }
}
