import Kernel

extension Command {
    /// `network`, docker network's counterpart for the bridge driver: user-defined networks
    /// (a bridge with a subnet and gateway, recorded as user-defined), and containers
    /// attached to them while they run.
    static let network = Command(
        "network", usage: NetworkCommand.usage,
        summary: "user-defined networks as docker network makes them: create, connect, disconnect, ls, rm",
        optionsEndAtFirstOperand: true
    ) { call in
        var words = call.operands
        guard let verb = words.first, let subcommand = NetworkCommand.subcommands[verb] else {
            throw call.failure(words.isEmpty ? "what should it do?" : "unknown subcommand '\(words[0])'", cause: "usage: \(NetworkCommand.usage)")
        }
        words.removeFirst()
        let options = try ParsedOptions.parse(words, specs: subcommand.options, command: "network " + verb)
        guard subcommand.operands.contains(options.operands.count) else {
            throw call.failure("network \(verb): \(options.operands.count < subcommand.operands.lowerBound ? "missing operand" : "too many operands")",
                               cause: "usage: network \(subcommand.usage)")
        }
        try subcommand.perform(NetworkCommand(call: call, options: options, verb: verb))
    }
}

/// One `network` subcommand being performed.
struct NetworkCommand {
    let call: Invocation
    let options: ParsedOptions
    let verb: String

    struct Subcommand: Sendable {
        var usage: String
        var options: [OptionSpec] = []
        var operands: ClosedRange<Int>
        var perform: @Sendable (NetworkCommand) throws -> Void
    }

    static let subcommands: [String: Subcommand] = [
        "create": Subcommand(usage: "create [--subnet A.B.C.D/L] [--gateway A.B.C.D] NAME", options: [.value(nil, "subnet"), .value(nil, "gateway")], operands: 1...1) { try $0.create() },
        "connect": Subcommand(usage: "connect [--ip A.B.C.D/L] [--alias NAME]... NETWORK CONTAINER", options: [.value(nil, "ip"), .value(nil, "alias")], operands: 2...2) { try $0.connect() },
        "disconnect": Subcommand(usage: "disconnect NETWORK CONTAINER", operands: 2...2) { try $0.disconnect() },
        "ls": Subcommand(usage: "ls", operands: 0...0) { try $0.list() },
        "rm": Subcommand(usage: "rm NAME", operands: 1...1) { try $0.remove() },
    ]

    static let usage = "network create [--subnet A.B.C.D/L] [--gateway A.B.C.D] NAME | connect [--ip A.B.C.D/L] [--alias NAME]... NETWORK CONTAINER | disconnect NETWORK CONTAINER | ls | rm NAME"

    var run: RunDirectory { call.workbench.run }
    var operands: [String] { options.operands }

    func failure(_ message: String, cause: String) -> CommandError { call.failure("network \(verb): " + message, cause: cause) }

    func netlink() throws -> RouteNetlink {
        do { return try call.workbench.clients.netlink(call.namespace) } catch { throw call.failure("cannot reach the network namespace", error) }
    }

    /// `network create`: the calls `ip link add NAME type bridge`, `ip addr add GATEWAY/L dev
    /// NAME` and `ip link set NAME up` make, then the record that makes it user-defined.
    func create() throws {
        let name = operands[0]
        guard ContainerSpec.isName(name), name.utf8.count <= 15 else {
            throw failure("bad name '\(name)'", cause: "a network's name is its bridge's: up to 15 letters, digits, '-', '_' or '.'")
        }
        // The options are checked before anything is asked of the kernel.
        var given: IPv4Subnet?
        if let text = options.value("subnet") {
            guard let subnet = IPv4Subnet(text), (8...30).contains(subnet.length) else {
                throw failure("bad --subnet '\(text)'", cause: "an IPv4 network with its prefix length and no host bits, /8 to /30, like 172.18.0.0/16")
            }
            given = subnet
        }
        let gatewayText = options.value("gateway")
        var gatewayAddress: IPAddress?
        if let gatewayText {
            guard let address = IPAddress(gatewayText), address.family == .inet else {
                throw failure("bad --gateway '\(gatewayText)'", cause: "an IPv4 address inside the subnet, like 172.18.0.1")
            }
            gatewayAddress = address
        }
        func checkGateway(in subnet: IPv4Subnet) throws -> IPAddress {
            guard let given = gatewayAddress else { return subnet.firstHost }
            guard subnet.contains(given), !subnet.isNetworkAddress(given), IPv4Subnet.number(given) != subnet.base | ~subnet.mask else {
                throw failure("bad --gateway '\(gatewayText ?? "")'", cause: "a host address inside \(subnet), like \(subnet.firstHost)")
            }
            return given
        }
        if let given { _ = try checkGateway(in: given) }
        let netlink = try netlink()
        let links = try Trace.untraced { () throws(KernelError) in try netlink.links() }
        guard !links.contains(where: { $0.name == name }) else {
            throw failure("a link named \(name) exists", cause: UserNetwork.load(run, name) != nil ? "it is a network already: network rm \(name) first" : "give the network another name")
        }
        // What is taken: every IPv4 subnet on a link here and every recorded network's.
        let addresses = try Trace.untraced { () throws(KernelError) in try netlink.addresses(family: .inet) }
        let taken = addresses.compactMap { IPv4Subnet(base: IPv4Subnet.number($0.prefix.address) & IPv4Subnet(base: 0, length: $0.prefix.length).mask, length: $0.prefix.length) }
            + UserNetwork.all(run).filter { links.map(\.name).contains($0.name) }.compactMap { IPv4Subnet($0.subnet) }
        let subnet: IPv4Subnet
        if let given {
            if let clash = taken.first(where: { $0.overlaps(given) }) {
                throw failure("subnet \(given) overlaps \(clash), already here", cause: "give another --subnet")
            }
            subnet = given
        } else {
            // Docker's default pool: 172.17.0.0/16 is docker0's, user networks take the next free /16.
            guard let free = (18...31).lazy.map({ IPv4Subnet(base: 172 << 24 | UInt32($0) << 16, length: 16) }).first(where: { candidate in !taken.contains { $0.overlaps(candidate) } }) else {
                throw failure("no free subnet in 172.18.0.0/16 to 172.31.0.0/16", cause: "give one: --subnet 10.10.0.0/24")
            }
            subnet = free
        }
        let gateway = try checkGateway(in: subnet)
        var made = false
        do {
            // The ledger is in the run directory, which the first command of a run makes.
            try Workbench.prepareHostDirectories(run)
            try call.workbench.creatingLink(name, in: call.namespace, netlink: netlink) { () throws(KernelError) in try netlink.addLink(name, .bridge) }
            made = true
            try netlink.addAddress(IPPrefix(address: gateway, length: subnet.length)!, to: .name(name))
            try netlink.setLink(.name(name), [.up])
            try UserNetwork(name: name, subnet: subnet.description, gateway: gateway.description).save(run)
        } catch {
            // Half a network is none: the bridge goes (with its address) if it was made.
            if made { Trace.untraced { try? netlink.deleteLink(.name(name)) } }
            throw call.failure("network create \(name)", error)
        }
        call.write("\(name)\n")
    }

    /// The running container `name`, or a one-line refusal.
    func runningContainer(_ name: String) throws -> ContainerState {
        guard let state = ContainerState.load(run.containers, name), state.isRunning else {
            throw failure("no running container named \(name)", cause: "start it first, in the background: container run --name \(name) … &")
        }
        return state
    }

    /// `network connect`: one more veth pair, its host end on the network's bridge and its
    /// other end ethN in the container's namespace, addressed and up (no route: the default
    /// route stays on the container's first network, as Docker leaves it).
    func connect() throws {
        let (network, container) = (operands[0], operands[1])
        var state = try runningContainer(container)
        // A --network host container's namespace is this one: its "eth1" would be the host's.
        if Trace.untraced({ ProcessTable.namespace("net", of: state.pid) == ProcessTable.namespace("net", of: nil) }) {
            throw failure("\(container) shares the host's network namespace (--network host)", cause: "Docker connects no such container either: run it with --network none or a bridge")
        }
        if state.endpoints.contains(where: { $0.network == network }) {
            throw failure("\(container) is on \(network) already", cause: "network disconnect \(network) \(container) first")
        }
        let netlink = try netlink()
        guard let bridge = try? Trace.untraced({ () throws(KernelError) in try netlink.link(.name(network)) }), bridge.kind == "bridge" else {
            throw failure("no network named \(network)", cause: "make it first: network create \(network)")
        }
        guard let text = options.value("ip") else {
            let hint = UserNetwork.load(run, network).map { " in \($0.subnet)" } ?? ""
            throw failure("which address? --ip A.B.C.D/L", cause: "give the container's address on \(network)\(hint), like --ip \(UserNetwork.load(run, network).flatMap { IPv4Subnet($0.subnet) }.map { "\(IPv4Subnet.address($0.base + 2))/\($0.length)" } ?? "172.18.0.2/16")")
        }
        guard let address = IPPrefix(text), address.family == .inet else {
            throw failure("bad --ip '\(text)'", cause: "an IPv4 address with its prefix length, like 172.18.0.2/16")
        }
        if let holder = ContainerState.all(run.containers).first(where: { $0.isRunning && $0.endpoints.contains { $0.network == network && $0.ipAddress == address.address.description } }) {
            throw failure("\(address.address) is \(holder.name)'s on \(network)", cause: "give \(container) another address there")
        }
        let aliases = options.allValues("alias")
        if let bad = aliases.first(where: { !ContainerSpec.isName($0) }) { throw failure("bad --alias '\(bad)'", cause: ContainerSpec.nameRule) }
        let interface = state.nextInterface
        let hostEnd = ContainerState.hostEnd(container: container, interface: interface)
        var made = false
        do {
            try call.workbench.creatingLink(hostEnd, in: call.namespace, netlink: netlink) { () throws(KernelError) in
                try netlink.addLink(hostEnd, .veth(peer: interface, peerNamespace: .pid(state.pid)))
            }
            made = true
            try netlink.setLink(.name(hostEnd), [.master(.name(network)), .up])
            let inside = try RouteNetlink(in: NetworkNamespace.open(pid: state.pid))
            try inside.addAddress(address, to: .name(interface))
            try inside.setLink(.name(interface), [.up])
            try inside.setLink(.name("lo"), [.up])
        } catch {
            // The pair goes whole, by its host end, if it was made.
            if made { Trace.untraced { try? netlink.deleteLink(.name(hostEnd)) } }
            throw call.failure("network connect \(network) \(container)", error)
        }
        state.endpoints.append(.init(network: network, interface: interface, hostEnd: hostEnd, address: address.description, aliases: aliases))
        try save(state)
        call.refreshResolverRecords()
        try call.startResolver(for: &state)
    }

    /// `network disconnect`: the veth pair deleted by its host end (its peer goes with it).
    func disconnect() throws {
        let (network, container) = (operands[0], operands[1])
        var state = try runningContainer(container)
        guard let endpoint = state.endpoints.first(where: { $0.network == network }) else {
            throw failure("\(container) is not on \(network)", cause: "it is on \(state.endpoints.map(\.network).joined(separator: ", ").nonEmpty ?? "no network")")
        }
        let netlink = try netlink()
        do { try netlink.deleteLink(.name(endpoint.hostEnd)) } catch { throw call.failure("network disconnect \(network) \(container)", error) }
        state.endpoints.removeAll { $0.network == network }
        try save(state)
        call.refreshResolverRecords()
    }

    private func save(_ state: ContainerState) throws {
        do { try state.save(run.containers) } catch { throw call.failure("cannot write \(state.name)'s state", error) }
    }

    /// `network ls`: every bridge here, user-defined or made by hand, with its subnet and
    /// the running containers on it.
    func list() throws {
        let netlink = try netlink()
        let (links, addresses) = try Trace.untraced { () throws(KernelError) in (try netlink.links(), try netlink.addresses(family: .inet)) }
        let running = ContainerState.all(run.containers).filter(\.isRunning)
        var rows = [["NAME", "DRIVER", "USER-DEFINED", "SUBNET", "GATEWAY", "CONTAINERS"]]
        for link in links.filter({ $0.kind == "bridge" }).sorted(by: { $0.name < $1.name }) {
            let user = UserNetwork.load(run, link.name)
            let own = addresses.first { $0.index == link.index }?.prefix
            let subnet = user?.subnet ?? own.map { IPv4Subnet(base: IPv4Subnet.number($0.address) & IPv4Subnet(base: 0, length: $0.length).mask, length: $0.length).description } ?? "-"
            let members = running.filter { $0.endpoints.contains { $0.network == link.name } }.map(\.name)
            rows.append([link.name, "bridge", user == nil ? "no" : "yes", subnet, user?.gateway ?? own?.address.description ?? "-", members.joined(separator: ",").nonEmpty ?? "-"])
        }
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        for row in rows {
            call.write(zip(row, widths).map { $0.0.padding(toLength: $0.1, withPad: " ", startingAt: 0) }.joined(separator: "  ").trimmingTrailingSpaces() + "\n")
        }
    }

    /// `network rm`: the bridge and its record; refused while a running container is on it,
    /// and for a bridge that is not a user-defined network.
    func remove() throws {
        let name = operands[0]
        guard UserNetwork.load(run, name) != nil else {
            throw failure("no user-defined network named \(name)", cause: "network ls lists them; a bridge made by hand goes with ip link del \(name)")
        }
        let members = ContainerState.all(run.containers).filter { $0.isRunning && $0.endpoints.contains { $0.network == name } }.map(\.name)
        guard members.isEmpty else {
            throw failure("\(members.joined(separator: ", ")) \(members.count == 1 ? "is" : "are") on \(name)", cause: "network disconnect \(name) \(members[0]) first, or end the container")
        }
        let netlink = try netlink()
        do {
            if (try? Trace.untraced({ () throws(KernelError) in try netlink.link(.name(name)) })) != nil { try netlink.deleteLink(.name(name)) }
            try UserNetwork.forget(run, name)
        } catch {
            throw call.failure("network rm \(name)", error)
        }
    }
}

private extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
    func trimmingTrailingSpaces() -> String { String(self[..<(lastIndex { $0 != " " }.map { index(after: $0) } ?? startIndex)]) }
    func padding(toLength length: Int, withPad pad: String, startingAt _: Int) -> String { self + String(repeating: pad, count: Swift.max(0, length - count)) }
}
