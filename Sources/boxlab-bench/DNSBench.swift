import Foundation
import Glibc
import Kernel

/// (h) The embedded resolver against dnsmasq: both answer the same names from a file, in one
/// network namespace made for the round (unshare on a thread: the servers are born in it and
/// listen on its loopback, 127.0.0.11 and 127.0.0.12), asked one query at a time, the two
/// servers alternating query by query; then each server's resident memory.
struct DNSBench {
    let options: BenchOptions
    let work: String
    static let names = 50
    static let queries = 5000

    func run() -> Bool {
        Table.section("DNS: \(DNSBench.queries) A queries to each server for \(DNSBench.names) names, one at a time over UDP on loopback, alternating; p50 / p99 latency")
        guard let dnsmasq = which("dnsmasq") else {
            Table.failed("dns", BenchError("no dnsmasq on PATH: apt-get install dnsmasq-base (scripts/setup --bench)"))
            return false
        }
        do {
            try inNewNamespace { try measure(dnsmasq) }
            return true
        } catch {
            Table.failed("dns", BenchError(error))
            return false
        }
    }

    private struct Server {
        let label: String
        let address: IPAddress
        let child: Spawned
        var latency = Samples()
    }

    private func measure(_ dnsmasq: String) throws {
        try RouteNetlink().setLink("lo", [.up])
        let records = work + "/dns.records", hosts = work + "/dns.hosts"
        let names = (0..<DNSBench.names).map { ("c\($0)", "172.18.\($0 / 200).\($0 % 200 + 2)") }
        // Held by this process, as BoxLab's records are by their containers: each answer reads
        // its holder's /proc/PID/stat, which is part of what is measured.
        let holder = "\(getpid()):\(ProcessTable.startTime(of: getpid()) ?? 0)"
        try names.map { "\($0.0) \($0.1) \(holder)\n" }.joined().write(toFile: records, atomically: true, encoding: .utf8)
        try names.map { "\($0.1) \($0.0)\n" }.joined().write(toFile: hosts, atomically: true, encoding: .utf8)
        let environment = ["PATH=/usr/sbin:/usr/bin:/sbin:/bin"]
        var servers = [
            Server(label: "boxlab-resolver", address: IPAddress("127.0.0.11")!,
                   child: try Spawned.start([options.resolver, "--records", records, "--listen", "127.0.0.11", "--owner", String(getpid())], environment: environment)),
            Server(label: "dnsmasq \(dnsmasqVersion(dnsmasq))", address: IPAddress("127.0.0.12")!,
                   child: try Spawned.start([dnsmasq, "--no-daemon", "--no-resolv", "--no-hosts", "--addn-hosts=\(hosts)",
                                             "--listen-address=127.0.0.12", "--bind-interfaces", "--user=root", "--pid-file="], environment: environment)),
        ]
        defer { for server in servers { server.child.kill() } }
        let socket = try UDPSocket()
        for server in servers { try waitForAnswer(socket, server) }
        for index in 0..<DNSBench.queries {
            let (name, address) = names[index % names.count]
            for number in servers.indices {
                servers[number].latency.add(try ask(socket, servers[number], name: name, expecting: address, id: UInt16(truncatingIfNeeded: index)))
            }
        }
        for server in servers {
            let total = server.latency.values.reduce(0, +)
            let rss = residentKiB(server.child.pid)
            Table.row(server.label, "\(Table.duration(server.latency.quantile(0.5))) / \(Table.duration(server.latency.quantile(0.99)))",
                      String(format: "%.0f queries/s one at a time; RSS %@", Double(server.latency.count) / (total / 1e9), Table.mebibytes(rss)))
        }
        Table.row("dnsmasq's latency / boxlab-resolver's", "p50 \(Table.ratio(servers[1].latency.quantile(0.5), to: servers[0].latency.quantile(0.5))), p99 \(Table.ratio(servers[1].latency.quantile(0.99), to: servers[0].latency.quantile(0.99)))", "above 1x: boxlab-resolver answers faster")
    }

    /// The time from sendto to the answer's arrival, in nanoseconds; the answer must hold `address`.
    private func ask(_ socket: UDPSocket, _ server: Server, name: String, expecting address: String, id: UInt16) throws -> Double {
        let query = DNSMessage.query(id: id, name: DNSName(name)!, type: .a).encoded()
        let start = Clock.now()
        try socket.send(query, to: SocketEnd(address: server.address, port: 53))
        guard let (bytes, _) = try socket.receive(timeout: 1) else { throw BenchError("\(server.label) did not answer \(name) within 1 s") }
        let elapsed = Clock.since(start)
        let answer = try DNSMessage(decoding: bytes)
        guard answer.header.id == id, answer.answers.compactMap(\.address).map(\.description) == [address] else {
            throw BenchError("\(server.label) answered \(name) with \(answer.answers.map(\.description))")
        }
        return Double(elapsed)
    }

    /// Asks until the server answers (it has just started), for up to the timeout.
    private func waitForAnswer(_ socket: UDPSocket, _ server: Server) throws {
        let deadline = Clock.now() + options.timeout
        while Clock.now() < deadline {
            try socket.send(DNSMessage.query(id: 0, name: DNSName("c0")!, type: .a).encoded(), to: SocketEnd(address: server.address, port: 53))
            if (try socket.receive(timeout: 0.1)) != nil { return }
        }
        throw BenchError("\(server.label) did not answer within \(options.timeout / 1_000_000_000) s; it printed: \(server.child.tail)")
    }

    private func dnsmasqVersion(_ dnsmasq: String) -> String {
        let output = (try? Spawned.run([dnsmasq, "--version"], timeout: options.timeout)) ?? ""
        return output.split(separator: " ").dropFirst(2).first.map(String.init) ?? ""
    }

    /// VmRSS of /proc/PID/status, in KiB.
    private func residentKiB(_ pid: pid_t) -> Double {
        Machine.field("/proc/\(pid)/status", "VmRSS").flatMap { Double($0.split(separator: " ").first ?? "") } ?? .nan
    }
}
