import Glibc
import Kernel

/// `seen-from` and `conntrack … translated to …` (`FlowExpectation`): a real connection, and
/// what the kernel's connection tracking says NAT did to it.
extension Evaluator {
    func checkFlow(_ flow: FlowExpectation) -> CheckResult {
        switch flow {
        case .seenFrom(let address, let port, let from, let source):
            checkSeenFrom(address, port: port, from: from, source: source)
        case .translated(let name, let address, let port, let from, let to, let toPort, let namespace):
            checkTranslated(name, address, port: port, from: from, to: to, toPort: toPort, in: namespace)
        }
    }

    /// Connects from `from` to `address`:`port` and finds the source address the server saw.
    /// BoxLab plays the server, in the namespace that has `address`, unless a program already
    /// listens there (or a DNAT rule takes the connection elsewhere): then the connection
    /// tracking tables tell, since only a NAT rule, which needs a tracked flow, rewrites a
    /// source; with no rewrite the server sees the client's own end.
    func checkSeenFrom(_ text: String, port: UInt16, from: String, source: String) -> CheckResult {
        let summary = "\(text):\(port) sees a connection from \(from) coming from \(source)"
        guard let address = IPAddress(text) else { return CheckResult(passed: false, summary: summary, found: "not an address") }
        guard let server = namespace(owning: address) else {
            return CheckResult(passed: false, summary: summary, found: "no namespace of the session has the address \(text)",
                               cause: "a server needs the address on one of its links: ip addr add \(text)/24 dev LINK")
        }
        let listener: TCPListener?
        do throws(KernelError) { listener = try playServer(address, port: port, in: server) } catch {
            return CheckResult(passed: false, summary: summary, found: "cannot listen on \(text):\(port) in \(server): \(error.errno)")
        }
        let client: SocketEnd
        do throws(KernelError) {
            client = try places.perform(in: from) { () throws(KernelError) in try TCPConnect.probe(address, port: port) }
        } catch {
            if error.errno == .ENOENT { return CheckResult(passed: false, summary: summary, found: "there is no network namespace \(from)") }
            return CheckResult(passed: false, summary: summary, found: "connect from \(from): \(error.errno)", cause: connectCause(error.errno, text, port, from: from, server: server))
        }
        let seen = ((try? listener?.acceptPeer(timeout: 1)) ?? nil).map(\.address) ?? rewrittenSource(of: client, to: SocketEnd(address: address, port: port)) ?? client.address
        if seen.description == source { return CheckResult(passed: true, summary: summary) }
        if seen == client.address {
            return CheckResult(passed: false, summary: summary, found: "seen from \(seen): the source was not rewritten",
                               cause: "no masquerade on the way out: a NAT rule in the namespace that routes the packets (iptables -t nat -A POSTROUTING -s SUBNET ! -o BRIDGE -j MASQUERADE) rewrites it")
        }
        return CheckResult(passed: false, summary: summary, found: "seen from \(seen): a NAT rule rewrote the source \(client.address) to \(seen)",
                           cause: "the rule that matched rewrites to \(seen), not \(source): masquerade takes the address of the link the packets leave by")
    }

    /// A tcp or udp flow from `from` to `address`:`port` in `namespace`'s table, whose reply
    /// tuple shows a rewrite to `to`[:`toPort`]. A TCP connection is made first when the table
    /// has no such flow (the one a step made may have expired), with BoxLab listening where
    /// no server does, at the destination and at the one DNAT names: the kernel forgets a
    /// connection refused at once.
    func checkTranslated(_ name: String, _ text: String, port: UInt16, from: String, to: String, toPort: UInt16?, in namespace: String) -> CheckResult {
        let target = toPort.map { "\(to):\($0)" } ?? to
        let summary = "\(namespace == NetworkPlaces.host ? "the host" : namespace) translated a \(name) connection from \(from) to \(text):\(port) into \(target)"
        guard let address = IPAddress(text) else { return CheckResult(passed: false, summary: summary, found: "not an address") }
        guard case .success(let sources) = addresses(of: from) else {
            return CheckResult(passed: false, summary: summary, found: "there is no network namespace \(from)")
        }
        let number: UInt8 = name == "udp" ? 17 : 6
        func matching() -> Result<[ConntrackFlow], KernelError> {
            flows(in: namespace).map { flows in
                flows.filter {
                    $0.original.protocolNumber == number && $0.original.destination == address && $0.original.destinationPort == port && sources.contains($0.original.source)
                }
            }
        }
        var found = matching()
        if case .success(let flows) = found, flows.isEmpty, number == 6 {
            let servers = [(address, port), (IPAddress(to), toPort)].compactMap { (address, port) -> TCPListener? in
                guard let address, let port, let owner = self.namespace(owning: address) else { return nil }
                return (try? playServer(address, port: port, in: owner)) ?? nil
            }
            _ = try? places.perform(in: from) { () throws(KernelError) in try TCPConnect.probe(address, port: port) }
            found = matching()
            withExtendedLifetime(servers) {}
        }
        let candidates: [ConntrackFlow]
        switch found {
        case .failure(let error):
            return CheckResult(passed: false, summary: summary, found: error.errno == .ENOENT ? "there is no network namespace \(namespace)" : "cannot read the connection table of \(namespace): \(error.errno)")
        case .success(let matches): candidates = matches
        }
        let wanted = candidates.first { flow in
            flow.translations.contains { $0.toAddress.description == to && (toPort == nil || $0.toPort == toPort) }
        }
        if let wanted { return CheckResult(passed: true, summary: summary + " (\(wanted.translations.map(Self.describe).joined(separator: "; ")))") }
        guard let flow = candidates.first else {
            return CheckResult(passed: false, summary: summary, found: "no \(name) flow from \(from) to \(text):\(port) in the connection table\(where_(namespace))",
                               cause: "the connection must pass through \(namespace == NetworkPlaces.host ? "the host" : namespace), which tracks connections once a NAT rule or a ct match there needs it")
        }
        let rewrites = flow.translations
        guard !rewrites.isEmpty else {
            return CheckResult(passed: false, summary: summary, found: "the flow \(flow.original.sourceEnd) → \(flow.original.destinationEnd) was not translated (its reply tuple mirrors it)",
                               cause: "no NAT rule matched it: check the rule's subnet, interface and port")
        }
        return CheckResult(passed: false, summary: summary, found: rewrites.map(Self.describe).joined(separator: "; "),
                           cause: "a NAT rule rewrote it, but to \(rewrites.map(\.to).joined(separator: ", ")), not \(target)")
    }

    /// `SNAT 172.17.0.2:40000 → 203.0.113.2:40000`.
    static func describe(_ translation: ConntrackFlow.Translation) -> String {
        "\(translation.kind.rawValue) \(translation.from) → \(translation.to)"
    }

    /// A listener of BoxLab's on `address`:`port` in `namespace`, or nil when a server already
    /// listens there.
    private func playServer(_ address: IPAddress, port: UInt16, in namespace: String) throws(KernelError) -> TCPListener? {
        do throws(KernelError) {
            return try places.perform(in: namespace) { () throws(KernelError) in try TCPListener(address, port: port) }
        } catch where error.errno == Errno(EADDRINUSE) {
            return nil
        }
    }

    /// The namespace of the session that has `address` on one of its links.
    func namespace(owning address: IPAddress) -> String? {
        places.all().first { name in
            if case .success(let addresses) = addresses(of: name) { addresses.contains(address) } else { false }
        }
    }

    private func addresses(of namespace: String) -> Result<[IPAddress], KernelError> {
        Result { () throws(KernelError) in try places.netlink(namespace).addresses().map(\.prefix.address) }
    }

    private func flows(in namespace: String) -> Result<[ConntrackFlow], KernelError> {
        Result { () throws(KernelError) in try places.conntrack(namespace).flows() }
    }

    /// The source a NAT rule gave the connection from `client` to `server`, read from the
    /// session's connection tracking tables.
    private func rewrittenSource(of client: SocketEnd, to server: SocketEnd) -> IPAddress? {
        for name in places.all() {
            guard case .success(let flows) = flows(in: name) else { continue }
            let flow = flows.first {
                $0.original.protocolNumber == 6 && $0.original.source == client.address && $0.original.sourcePort == client.port
                    && $0.original.destination == server.address && $0.original.destinationPort == server.port
                    && $0.translations.contains { $0.kind == .source }
            }
            if let flow { return flow.reply.destination }
        }
        return nil
    }

    private func connectCause(_ errno: Errno, _ text: String, _ port: UInt16, from: String, server: String) -> String? {
        switch errno {
        case Errno(ETIMEDOUT):
            "no answer within a second: is forwarding on where the packets are routed (sysctl net.ipv4.ip_forward=1), and can the answer find its way back to \(from)? \(server) has no route to a private subnet unless its source is rewritten (masquerade)"
        case Errno(ENETUNREACH): "\(from) has no route to \(text): a default route via its gateway"
        case Errno(ECONNREFUSED): "nothing accepts connections on port \(port) where the packets end up"
        default: nil
        }
    }
}
