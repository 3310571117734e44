import FoundationEssentials
import Glibc
import Kernel

extension Evaluator {
    var places: NetworkPlaces { NetworkPlaces(variables: variables) }

    /// Kernel work that finishes after the call returns (a namespace freed by `ip netns del`
    /// takes its veth peers with it a moment later) is given up to a second to settle. The
    /// second counts the checks too: a connection whose packets are dropped waits out its own
    /// timeout, and ten more such tries would only make a learner wait.
    func settled(_ check: () -> CheckResult) -> CheckResult {
        let deadline = ContinuousClock.now + .seconds(1)
        var result = check()
        while !result.passed, ContinuousClock.now < deadline {
            usleep(100_000)
            result = check()
        }
        return result
    }

    func where_(_ namespace: String) -> String { namespace == NetworkPlaces.host ? "" : " in \(namespace)" }

    /// The links of a namespace, or why there are none to look at.
    func links(in namespace: String) -> Result<[Link], CheckFailure> {
        do { return .success(try places.netlink(namespace).links()) } catch {
            return .failure(CheckFailure(found: error.errno == .ENOENT ? "there is no network namespace \(namespace)" : "cannot read \(namespace): \(error.errno)"))
        }
    }

    func checkNamespace(_ name: String) -> CheckResult {
        let summary = "network namespace \(name) exists (/run/netns/\(name))"
        let exists = ((try? places.namespaces.list()) ?? []).contains(name) && (try? places.namespaces.open(name)) != nil
        return exists ? CheckResult(passed: true, summary: summary)
            : CheckResult(passed: false, summary: summary, found: "there is no network namespace \(name)", cause: "`ip netns add \(name)` makes it")
    }

    func checkLink(_ want: LinkExpectation) -> CheckResult {
        var details: [String] = []
        if let up = want.up { details.append(up ? "up" : "down") }
        if let master = want.master { details.append("master \(master)") }
        if let mtu = want.mtu { details.append("mtu \(mtu)") }
        if let peer = want.peer { details.append("peer \(peer.namespace == want.namespace ? peer.name : "\(peer.namespace):\(peer.name)")") }
        if let mode = want.mode { details.append("mode \(mode)") }
        if let parent = want.parent { details.append("on \(parent.namespace == want.namespace ? parent.name : "\(parent.namespace):\(parent.name)")") }
        if let vni = want.vni { details.append("id \(vni)") }
        if let local = want.local { details.append("local \(local)") }
        if let device = want.device { details.append("dev \(device)") }
        if let dstport = want.dstport { details.append("dstport \(dstport)") }
        let summary = "\(want.name)\(where_(want.namespace)) is \(want.kind.map { "\(article($0)) \($0) link" } ?? "a link")" + (details.isEmpty ? "" : " (\(details.joined(separator: ", ")))")
        let links: [Link]
        switch self.links(in: want.namespace) {
        case .failure(let failure): return CheckResult(passed: false, summary: summary, found: failure.found)
        case .success(let found): links = found
        }
        guard let link = links.first(where: { $0.name == want.name }) else {
            let names = links.map(\.name).joined(separator: ", ")
            return CheckResult(passed: false, summary: summary, found: "there is no link \(want.name)\(where_(want.namespace)) (it has \(names))")
        }
        var problems: [String] = []
        if let kind = want.kind, link.kind != kind { problems.append("it is \(link.kind.map { "\(article($0)) \($0) link" } ?? "a physical link")") }
        if let up = want.up, link.isUp != up { problems.append("\(want.name) is \(link.isUp ? "UP" : "DOWN")") }
        if let master = want.master {
            let actual = link.master.flatMap { index in links.first { $0.index == index }?.name }
            if actual != master { problems.append(actual.map { "its master is \($0)" } ?? "\(master) has no port \(want.name): it has no master") }
        }
        if let mtu = want.mtu, link.mtu.map(Int.init) != mtu { problems.append("its mtu is \(link.mtu.map(String.init) ?? "unknown")") }
        if let peer = want.peer, let problem = peerProblem(link, peer) { problems.append(problem) }
        if let mode = want.mode, link.mode != mode { problems.append(link.mode.map { "its mode is \($0)" } ?? "it has no mode: it is not a macvlan or ipvlan") }
        if let parent = want.parent, let problem = parentProblem(link, in: want.namespace, parent) { problems.append(problem) }
        problems += vxlanProblems(link, want, links: links)
        if problems.isEmpty { return CheckResult(passed: true, summary: summary) }
        return CheckResult(passed: false, summary: summary, found: problems.joined(separator: "; "), cause: linkCause(want, link))
    }

    /// What differs of a VXLAN link's settings from the expected ones.
    private func vxlanProblems(_ link: Link, _ want: LinkExpectation, links: [Link]) -> [String] {
        guard want.vni != nil || want.dstport != nil || want.local != nil || want.device != nil else { return [] }
        guard let vxlan = link.vxlan else { return ["it is not a VXLAN link: it has no id, port or dev"] }
        var problems: [String] = []
        if let vni = want.vni, vxlan.id != vni { problems.append("its id is \(vxlan.id)") }
        // The kernel's default port when none was given is 8472 (flannel's), not IANA's 4789.
        if let dstport = want.dstport, vxlan.port != dstport { problems.append("its dstport is \(vxlan.port.map(String.init) ?? "unknown")") }
        if let local = want.local, vxlan.local?.description != local { problems.append(vxlan.local.map { "its local address is \($0)" } ?? "it has no local address") }
        if let device = want.device {
            let actual: String? = if case .index(let index)? = vxlan.device { links.first { $0.index == index }?.name ?? "if\(index)" } else { nil }
            if actual != device { problems.append(actual.map { "its packets leave through \($0)" } ?? "it has no dev: the route to each remote picks the link") }
        }
        return problems
    }

    /// A veth's peer is the link whose index is this one's IFLA_LINK and that points back.
    private func peerProblem(_ link: Link, _ peer: (namespace: String, name: String)) -> String? {
        guard let peerIndex = link.link else { return "it has no peer" }
        guard case .success(let others) = links(in: peer.namespace) else { return "there is no network namespace \(peer.namespace)" }
        guard let other = others.first(where: { $0.name == peer.name }) else {
            return "there is no link \(peer.name)\(where_(peer.namespace))"
        }
        return other.index == peerIndex && other.link == link.index ? nil : "its peer is not \(peer.namespace):\(peer.name) (peer index \(peerIndex))"
    }

    /// A macvlan's or ipvlan's parent is the link whose index is this one's IFLA_LINK, in the
    /// namespace its IFLA_LINK_NETNSID names (none when the parent is beside it).
    private func parentProblem(_ link: Link, in namespace: String, _ parent: (namespace: String, name: String)) -> String? {
        guard let parentIndex = link.link, parentIndex != 0, link.kind == "macvlan" || link.kind == "ipvlan" else { return "it has no parent" }
        guard case .success(let others) = links(in: parent.namespace) else { return "there is no network namespace \(parent.namespace)" }
        guard let other = others.first(where: { $0.name == parent.name }) else { return "there is no link \(parent.name)\(where_(parent.namespace))" }
        let sameNamespace = parent.namespace == namespace
        let named = sameNamespace ? parent.name : "\(parent.namespace):\(parent.name)"
        if other.index != parentIndex || sameNamespace != (link.linkNetnsID == nil) { return "its parent is not \(named) (parent index \(parentIndex))" }
        guard let id = link.linkNetnsID else { return nil }
        let seen = try? places.netlink(namespace).namespaceID(of: .namespace(places.open(parent.namespace)))
        return seen == id ? nil : "its parent is not \(named): index \(parentIndex) in the namespace with id \(id) as seen from \(namespace)"
    }

    /// Two links have one MAC address: ipvlan children share their parent's, macvlan
    /// children each have their own.
    func checkSameMAC(_ first: LinkName, _ second: LinkName) -> CheckResult {
        let summary = "\(first) and \(second) have the same MAC address"
        switch (mac(of: .link(first)), mac(of: .link(second))) {
        case (.failure(let failure), _), (_, .failure(let failure)): return CheckResult(passed: false, summary: summary, found: failure.found)
        case (.success(let one), .success(let two)):
            return one == two ? CheckResult(passed: true, summary: summary + " (\(one))")
                : CheckResult(passed: false, summary: summary, found: "\(first) is \(one), \(second) is \(two)",
                              cause: "every macvlan link has a MAC of its own; ipvlan links share their parent's")
        }
    }

    /// The MAC written, or the link's, or why there is none to compare.
    func mac(of reference: MACReference) -> Result<MACAddress, CheckFailure> {
        let link: LinkName
        switch reference {
        case .address(let mac): return .success(mac)
        case .link(let named): link = named
        }
        return links(in: link.namespace).flatMap { links in
            guard let found = links.first(where: { $0.name == link.name }) else {
                return .failure(CheckFailure(found: "there is no link \(link.name)\(where_(link.namespace))"))
            }
            return found.address.map { .success($0) } ?? .failure(CheckFailure(found: "\(link) has no MAC address"))
        }
    }

    private func linkCause(_ want: LinkExpectation, _ link: Link) -> String? {
        if want.up == true && !link.isUp { return "links start down: \(Expectation.ip(want.namespace)) link set \(want.name) up" }
        if let master = want.master, link.master == nil { return "enslave it: ip link set \(want.name) master \(master)" }
        return nil
    }

    func checkAddress(_ text: String, link name: String, namespace: String) -> CheckResult {
        let summary = "\(name)\(where_(namespace)) has address \(text)"
        guard let want = IPPrefix(text) else { return CheckResult(passed: false, summary: summary, found: "not an address") }
        guard case .success(let links) = links(in: namespace) else { return CheckResult(passed: false, summary: summary, found: "there is no network namespace \(namespace)") }
        guard let link = links.first(where: { $0.name == name }) else {
            return CheckResult(passed: false, summary: summary, found: "there is no link \(name)\(where_(namespace))")
        }
        let addresses = ((try? places.netlink(namespace).addresses()) ?? []).filter { $0.index == link.index }
        if addresses.contains(where: { $0.prefix == want }) { return CheckResult(passed: true, summary: summary) }
        let same = addresses.first { $0.prefix.address == want.address }
        let found = addresses.filter { $0.family == want.family }.map(\.prefix.description)
        return CheckResult(passed: false, summary: summary,
                           found: found.isEmpty ? "\(name)\(where_(namespace)) has no \(want.family == .inet ? "IPv4 " : "")address" : "\(name)\(where_(namespace)) has \(found.joined(separator: ", "))",
                           cause: same.map { "the prefix length is /\($0.prefix.length), not /\(want.length): it decides which addresses are on the link" })
    }

    func checkRoute(_ destination: String, via: String?, device: String?, onlink: Bool = false, namespace: String) -> CheckResult {
        var summary = "\(namespace == NetworkPlaces.host ? "the host" : namespace) has a route to \(destination)"
        if let via { summary += " via \(via)" }
        if let device { summary += " dev \(device)" }
        if onlink { summary += " onlink" }
        guard let want = IPPrefix.destination(destination) else { return CheckResult(passed: false, summary: summary, found: "not a destination") }
        do throws(KernelError) {
            let netlink = try places.netlink(namespace)
            let view = try NetworkView(netlink, addresses: false, routes: true)
            let matches = view.routes.filter { $0.destination == want }
            if matches.contains(where: { route in
                (via == nil || route.gateway?.description == via) && (device == nil || route.outputInterface.flatMap(view.name(of:)) == device)
                    && (!onlink || route.onlink)
            }) {
                return CheckResult(passed: true, summary: summary)
            }
            let listing = view.routes.map(view.describe).joined(separator: "; ")
            var cause: String? = matches.isEmpty && via == nil ? "a connected route appears when an address is added and its link is up" : nil
            if onlink, let via, let device {
                cause = "\(via) is on no network \(device) has: `\(Expectation.ip(namespace)) route replace \(destination) via \(via) dev \(device) onlink` takes it as on \(device)'s link anyway"
            }
            return CheckResult(passed: false, summary: summary,
                               found: matches.isEmpty ? "no route to \(destination)\(where_(namespace)); it has: \(listing.isEmpty ? "none" : listing)" : "the route is \(matches.map(view.describe).joined(separator: "; "))",
                               cause: cause)
        } catch {
            return CheckResult(passed: false, summary: summary, found: error.errno == .ENOENT ? "there is no network namespace \(namespace)" : "\(error)")
        }
    }

    /// `fdb BRIDGE has … on PORT` or `fdb DEVICE has … dst HOST`: one MAC, looked up first.
    func checkForwarding(_ want: ForwardingExpectation) -> CheckResult {
        let summary = switch want.place {
        // A learned link is named with its namespace, host's too: `docker0 learned c2:eth0's MAC on port veth-c2`.
        case .port(let port): "\(want.device) learned \(want.entry.subject)\(want.entry.isLink ? "'s MAC" : "") on port \(port)"
        case .destination(let host): "\(want.device)\(where_(want.namespace)) sends frames for \(want.entry) to \(host)"
        }
        switch (want.place, mac(of: want.entry)) {
        case (_, .failure(let failure)): return CheckResult(passed: false, summary: summary, found: failure.found)
        case (.port(let port), .success(let mac)):
            return checkLearned(summary, bridge: want.device, mac: mac, entry: want.entry, port: port, namespace: want.namespace)
        case (.destination(let host), .success(let mac)):
            return checkTunnel(summary, device: want.device, mac: mac, entry: want.entry, to: host, namespace: want.namespace)
        }
    }

    /// A VXLAN device's own entry for the MAC names the remote host its frames go to.
    private func checkTunnel(_ summary: String, device: String, mac: MACAddress, entry: MACReference, to host: IPAddress, namespace: String) -> CheckResult {
        let named = entry.isLink ? " (\(mac))" : ""
        do throws(KernelError) {
            let netlink = try places.netlink(namespace)
            guard let link = try netlink.links().first(where: { $0.name == device }) else {
                return CheckResult(passed: false, summary: summary, found: "there is no link \(device)\(where_(namespace))")
            }
            let entries = try netlink.bridgeFDB().filter { $0.port == link.index && $0.linkAddress == mac && $0.master == nil }
            if entries.contains(where: { $0.destination == host }) { return CheckResult(passed: true, summary: summary + named) }
            let fdb = "\(Expectation.bridge(namespace)) fdb"
            guard link.vxlan != nil else {
                return CheckResult(passed: false, summary: summary, found: "\(device) is \(link.kind.map { "\(article($0)) \($0) link" } ?? "a physical link"), not a VXLAN device",
                                   cause: "only a VXLAN device tunnels frames to a remote host: ip link add \(device) type vxlan id N …")
            }
            let remotes = entries.compactMap(\.destination)
            guard !remotes.isEmpty else {
                return CheckResult(passed: false, summary: summary, found: "\(device) has no entry for \(mac)",
                                   cause: "the kernel does not know which host to send frames for \(mac) to: add `\(fdb) append \(mac) dev \(device) dst \(host)`")
            }
            return CheckResult(passed: false, summary: summary, found: "\(device) sends frames for \(mac) to \(remotes.map(\.description).joined(separator: ", "))",
                               cause: "`\(fdb) replace \(mac) dev \(device) dst \(host)` sends them to \(host)")
        } catch {
            return CheckResult(passed: false, summary: summary, found: error.errno == .ENOENT ? "there is no network namespace \(namespace)" : "\(error)")
        }
    }

    /// `neigh ADDRESS lladdr MAC dev LINK`: the neighbour table gives the address that MAC.
    func checkNeighbour(_ text: String, _ entry: MACReference, device: String, namespace: String) -> CheckResult {
        let summary = "\(text) on \(device)\(where_(namespace)) is at \(entry)"
        guard let address = IPAddress(text) else { return CheckResult(passed: false, summary: summary, found: "not an address") }
        let mac: MACAddress
        switch self.mac(of: entry) {
        case .failure(let failure): return CheckResult(passed: false, summary: summary, found: failure.found)
        case .success(let found): mac = found
        }
        do throws(KernelError) {
            let netlink = try places.netlink(namespace)
            guard let link = try netlink.links().first(where: { $0.name == device }) else {
                return CheckResult(passed: false, summary: summary, found: "there is no link \(device)\(where_(namespace))")
            }
            let named = entry.isLink ? " (\(mac))" : ""
            let found = try netlink.neighbours(family: address.family).first { $0.index == link.index && $0.address == address }
            if found?.linkAddress == mac { return CheckResult(passed: true, summary: summary + named) }
            let ip = Expectation.ip(namespace)
            guard let found else {
                return CheckResult(passed: false, summary: summary, found: "\(device) has no neighbour entry for \(address)",
                                   cause: "the kernel would ask for \(address)'s MAC by ARP, which no host on the other side of \(device) answers: `\(ip) neigh add \(address) lladdr \(mac) dev \(device) nud permanent`")
            }
            return CheckResult(passed: false, summary: summary,
                               found: "\(address) is \(found.linkAddress.map { "at \($0)" } ?? "unresolved") (\(found.state))",
                               cause: "`\(ip) neigh replace \(address) lladdr \(mac) dev \(device) nud permanent` sets it")
        } catch {
            return CheckResult(passed: false, summary: summary, found: error.errno == .ENOENT ? "there is no network namespace \(namespace)" : "\(error)")
        }
    }

    /// A bridge's table has the MAC behind the port (learned, or added by hand).
    private func checkLearned(_ summary: String, bridge: String, mac: MACAddress, entry: MACReference, port: String, namespace: String) -> CheckResult {
        do {
            let netlink = try places.netlink(namespace)
            let links = try netlink.links()
            guard let bridgeLink = links.first(where: { $0.name == bridge }) else {
                return CheckResult(passed: false, summary: summary, found: "there is no bridge \(bridge)\(where_(namespace))")
            }
            let entries = try netlink.bridgeFDB().filter { $0.linkAddress == mac }
            let name = { (index: Int32) in links.first { $0.index == index }?.name ?? "if\(index)" }
            if entries.contains(where: { name($0.port) == port && ($0.master == nil || $0.master == bridgeLink.index) }) {
                return CheckResult(passed: true, summary: summary + (entry.isLink ? " (\(mac))" : ""))
            }
            return CheckResult(passed: false, summary: summary,
                               found: entries.isEmpty ? "\(bridge) has no entry for \(mac)" : "\(mac) is on \(entries.map { name($0.port) }.joined(separator: ", "))",
                               cause: entries.isEmpty ? "a bridge learns a MAC from the frames it forwards: send traffic (ping) from \(entry.sender)" : nil)
        } catch {
            return CheckResult(passed: false, summary: summary, found: "\(error)")
        }
    }

    func checkReach(_ text: String, from namespace: String) -> CheckResult {
        let summary = "\(text) answers ping from \(namespace)"
        guard let address = IPAddress(text) else { return CheckResult(passed: false, summary: summary, found: "not an address") }
        do throws(KernelError) {
            // The first echo may go while the neighbour's MAC is being resolved: allow three.
            let answered = try places.perform(in: namespace) { () throws(KernelError) -> Bool in
                for _ in 0..<3 where !(try Kernel.Ping.echo(address, count: 1, timeout: 1).isEmpty) { return true }
                return false
            }
            return !answered
                ? CheckResult(passed: false, summary: summary, found: "no reply",
                              cause: holderDown(address) ?? PacketPath(places: places).stop(from: namespace, to: address) ?? "links up at both ends? addresses in one subnet, or a route? veth enslaved to the bridge?")
                : CheckResult(passed: true, summary: summary)
        } catch {
            return CheckResult(passed: false, summary: summary, found: error.errno == .ENOENT ? "there is no network namespace \(namespace)" : "\(error.errno)",
                               cause: error.errno == Errno(ENETUNREACH) ? "\(namespace) has no route to \(text)" : nil)
        }
    }

    /// The parameter is read from a thread in the namespace: /proc/sys/net shows the opener's.
    func checkSysctl(_ name: String, _ value: String, in namespace: String) -> CheckResult {
        let summary = "\(name) is \(value)\(where_(namespace))"
        guard let path = KernelParameter.path(of: name) else { return CheckResult(passed: false, summary: summary, found: "\(name) is not a parameter's name") }
        do throws(KernelError) {
            let now = try places.perform(in: namespace) { () throws(KernelError) in try KernelParameter.read(path) }
            guard now == KernelParameter.normalized(value) else {
                let forwarding = name == "net.ipv4.ip_forward" && value == "1"
                    ? "the host passes no packet from one interface to another (a container's, out by another link) until it is 1; " : ""
                return CheckResult(passed: false, summary: summary, found: "\(name) is \(now)",
                                   cause: forwarding + "`sysctl -w \(name)=\(value)` sets it")
            }
            return CheckResult(passed: true, summary: summary)
        } catch {
            return CheckResult(passed: false, summary: summary,
                               found: error.errno == .ENOENT ? "there is no parameter \(name)\(where_(namespace))" : "\(error.errno)")
        }
    }

    /// Why `address` cannot answer when the namespace that holds it has its link down:
    /// the one cause of a silent ping the kernel's state shows without guessing.
    private func holderDown(_ address: IPAddress) -> String? {
        for namespace in places.all() {
            guard let netlink = try? places.netlink(namespace), let links = try? netlink.links(),
                  let held = ((try? netlink.addresses()) ?? []).first(where: { $0.prefix.address == address }),
                  let link = links.first(where: { $0.index == held.index }) else { continue }
            return link.isUp ? nil : "\(address) is on \(link.name)\(where_(namespace)), which is DOWN: \(Expectation.ip(namespace)) link set \(link.name) up"
        }
        return nil
    }

    func checkConnect(_ text: String, port: UInt16, from namespace: String) -> CheckResult {
        let summary = "\(text):\(port) accepts a TCP connection from \(namespace)"
        guard let address = IPAddress(text) else { return CheckResult(passed: false, summary: summary, found: "not an address") }
        do throws(KernelError) {
            _ = try places.perform(in: namespace) { () throws(KernelError) in try TCPConnect.probe(address, port: port) }
            return CheckResult(passed: true, summary: summary)
        } catch {
            return CheckResult(passed: false, summary: summary, found: "connect: \(error.errno)",
                               cause: error.errno == Errno(ECONNREFUSED) ? "nothing listens on port \(port) there" : unresolved(address, from: namespace))
        }
    }

    /// Why a connection got no answer at all when `address` is on the asker's link: nothing
    /// answered ARP for it, so no interface there has it (a container started at another address).
    private func unresolved(_ address: IPAddress, from namespace: String) -> String? {
        guard let neighbours = try? places.netlink(namespace).neighbours(family: .inet),
              let entry = neighbours.first(where: { $0.address == address }), entry.linkAddress == nil else { return nil }
        return "nothing on \(namespace)'s link answers ARP for \(address) (\(entry.state)): no interface there has that address"
    }
}

extension Evaluator {
    /// Two namespaces are the same iff their nsfs inodes are equal (what `lsns` compares).
    func checkSameNamespace(_ first: String, _ second: String) -> CheckResult {
        let summary = "\(first) and \(second) share a network namespace"
        func inode(_ who: String) -> UInt64? {
            let path = Int32(who).map { "/proc/\($0)/ns/net" } ?? places.path(of: who)
            return try? FileSystem.stat(path).inode
        }
        guard let one = inode(first) else { return CheckResult(passed: false, summary: summary, found: "there is no namespace or process \(first)") }
        guard let two = inode(second) else { return CheckResult(passed: false, summary: summary, found: "there is no namespace or process \(second)") }
        return one == two ? CheckResult(passed: true, summary: summary + " (net:[\(one)])")
            : CheckResult(passed: false, summary: summary, found: "\(first) is net:[\(one)], \(second) is net:[\(two)]",
                          cause: "a program started with unshare --net gets a namespace of its own; nsenter -t PID --net starts one in PID's")
    }
}

struct CheckFailure: Error {
    var found: String
    var cause: String?
}
