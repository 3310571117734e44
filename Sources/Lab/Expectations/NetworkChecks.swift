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
        if problems.isEmpty { return CheckResult(passed: true, summary: summary) }
        return CheckResult(passed: false, summary: summary, found: problems.joined(separator: "; "), cause: linkCause(want, link))
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
        func mac(_ link: LinkName) -> Result<MACAddress, CheckFailure> {
            links(in: link.namespace).flatMap { links in
                guard let found = links.first(where: { $0.name == link.name }) else {
                    return .failure(CheckFailure(found: "there is no link \(link.name)\(where_(link.namespace))"))
                }
                return found.address.map { .success($0) } ?? .failure(CheckFailure(found: "\(link) has no MAC address"))
            }
        }
        switch (mac(first), mac(second)) {
        case (.failure(let failure), _), (_, .failure(let failure)): return CheckResult(passed: false, summary: summary, found: failure.found)
        case (.success(let one), .success(let two)):
            return one == two ? CheckResult(passed: true, summary: summary + " (\(one))")
                : CheckResult(passed: false, summary: summary, found: "\(first) is \(one), \(second) is \(two)",
                              cause: "every macvlan link has a MAC of its own; ipvlan links share their parent's")
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

    func checkRoute(_ destination: String, via: String?, device: String?, namespace: String) -> CheckResult {
        var summary = "\(namespace == NetworkPlaces.host ? "the host" : namespace) has a route to \(destination)"
        if let via { summary += " via \(via)" }
        if let device { summary += " dev \(device)" }
        guard let want = IPPrefix.destination(destination) else { return CheckResult(passed: false, summary: summary, found: "not a destination") }
        do throws(KernelError) {
            let netlink = try places.netlink(namespace)
            let view = try NetworkView(netlink, addresses: false, routes: true)
            let matches = view.routes.filter { $0.destination == want }
            if matches.contains(where: { route in
                (via == nil || route.gateway?.description == via) && (device == nil || route.outputInterface.flatMap(view.name(of:)) == device)
            }) {
                return CheckResult(passed: true, summary: summary)
            }
            let listing = view.routes.map(view.describe).joined(separator: "; ")
            return CheckResult(passed: false, summary: summary,
                               found: matches.isEmpty ? "no route to \(destination)\(where_(namespace)); it has: \(listing.isEmpty ? "none" : listing)" : "the route is \(matches.map(view.describe).joined(separator: "; "))",
                               cause: matches.isEmpty && via == nil ? "a connected route appears when an address is added and its link is up" : nil)
        } catch {
            return CheckResult(passed: false, summary: summary, found: error.errno == .ENOENT ? "there is no network namespace \(namespace)" : "\(error)")
        }
    }

    func checkForwarding(bridge: String, learned: String, learnedIn: String, port: String, namespace: String) -> CheckResult {
        let summary = "\(bridge) learned \(learnedIn):\(learned)'s MAC on port \(port)"
        guard case .success(let others) = links(in: learnedIn), let mac = others.first(where: { $0.name == learned })?.address else {
            return CheckResult(passed: false, summary: summary, found: "there is no link \(learned)\(where_(learnedIn))")
        }
        do {
            let netlink = try places.netlink(namespace)
            let links = try netlink.links()
            guard let bridgeLink = links.first(where: { $0.name == bridge }) else {
                return CheckResult(passed: false, summary: summary, found: "there is no bridge \(bridge)\(where_(namespace))")
            }
            let entries = try netlink.bridgeFDB().filter { $0.linkAddress == mac }
            let name = { (index: Int32) in links.first { $0.index == index }?.name ?? "if\(index)" }
            if entries.contains(where: { name($0.port) == port && ($0.master == nil || $0.master == bridgeLink.index) }) {
                return CheckResult(passed: true, summary: summary + " (\(mac))")
            }
            return CheckResult(passed: false, summary: summary,
                               found: entries.isEmpty ? "\(bridge) has no entry for \(mac)" : "\(mac) is on \(entries.map { name($0.port) }.joined(separator: ", "))",
                               cause: entries.isEmpty ? "a bridge learns a MAC from the frames it forwards: send traffic (ping) from \(learnedIn)" : nil)
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
            guard let path = Int32(who).map({ "/proc/\($0)/ns/net" }) ?? (try? places.path(of: who)) else { return nil }
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
