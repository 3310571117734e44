import Etcd
import Foundation
import Glibc
import Kernel

/// (j) How a flannel network converges as it grows: N hosts (network namespaces on one
/// LAN bridge, each with its own boxlab-flannel) share a real etcd; one more host joins,
/// and the time from its lease appearing in etcd (seen by a watch) to the first answered
/// ping from every other host to its docker0 is measured, with the etcd writes the join
/// cost. The joiner then leaves (agent stopped, lease deleted, as expiry would) and joins
/// again, `joins` times per size. All in a network namespace made for the run.
struct FlannelBench {
    let options: BenchOptions
    let work: String
    static let sizes = [2, 8, 32, 128]
    static let prefix = "/coreos.com/network"
    static let etcdAddress = "10.32.255.254"

    func run() -> Bool {
        Table.section("flannel: one more host joins N-1 over VXLAN; from its lease in etcd to every other host's first ping answered (median, min-max of \(joins) joins)")
        guard let etcd = which("etcd") else {
            Table.failed("flannel", BenchError("no etcd on PATH: apt-get install etcd-server (scripts/setup)"))
            return false
        }
        do {
            try inNewNamespace { try measure(etcd) }
            return true
        } catch {
            Table.failed("flannel", BenchError(error))
            return false
        }
    }

    private var joins: Int { max(1, min(options.runs, 5)) }

    /// One host: its namespace (held by a descriptor) and its agent.
    private struct Host {
        let number: Int
        let namespace: NetworkNamespace
        let agent: Spawned
    }

    private func measure(_ etcd: String) throws {
        let lan = try RouteNetlink()
        try lan.setLink("lo", [.up])
        try lan.addLink("lan", .bridge)
        try lan.addAddress(IPPrefix("\(FlannelBench.etcdAddress)/16")!, to: "lan")
        try lan.setLink("lan", [.up])
        let environment = ["PATH=/usr/sbin:/usr/bin:/sbin:/bin"]
        let server = try Spawned.start([etcd, "--name", "bench", "--data-dir", work + "/etcd",
                                        "--listen-client-urls", "http://\(FlannelBench.etcdAddress):2379",
                                        "--advertise-client-urls", "http://\(FlannelBench.etcdAddress):2379",
                                        "--listen-peer-urls", "http://127.0.0.1:2380",
                                        "--initial-advertise-peer-urls", "http://127.0.0.1:2380", "--initial-cluster", "bench=http://127.0.0.1:2380",
                                        "--logger", "zap", "--log-outputs", work + "/etcd.log"],
                                       environment: environment)
        var hosts: [Host] = []
        defer {
            for host in hosts { host.agent.kill() }
            server.kill()
        }
        let client = EtcdClient(endpoints: [EtcdEndpoint(address: IPAddress(FlannelBench.etcdAddress)!)], timeout: 10)
        try waitForEtcd(client)
        try client.put(FlannelBench.prefix + "/config", Array(#"{"Network":"172.16.0.0/12","SubnetLen":24,"Backend":{"Type":"vxlan"}}"#.utf8))
        var firstMedian: Double?
        // Every host gets a number of its own, a joiner that left too: its cable's name and
        // LAN address are not reused while the kernel frees its namespace.
        var numbers = 0
        func number() -> Int { numbers += 1; return numbers }
        for size in FlannelBench.sizes {
            while hosts.count < size - 1 { hosts.append(try join(number(), lan: lan)) }
            var times = Samples(), sweeps = Samples(), writes: [Int64] = []
            for _ in 0..<joins {
                let before = try client.list(prefix: FlannelBench.prefix + "/subnets/")
                let watch = try client.watch(prefix: FlannelBench.prefix + "/subnets/", from: before.revision + 1)
                let joiner = try join(number(), lan: lan, waitForReady: false)
                let leased = try leaseSeen(watch)
                let subnet = try ready(joiner)
                let target = IPv4Subnet.address(subnet.base + 1)
                let converged = try firstAnswers(to: target, from: hosts)
                times.add(Double(converged - leased))
                // The prober's own floor: the same sweep once every host answers at once.
                let sweep = Clock.now()
                sweeps.add(Double(try firstAnswers(to: target, from: hosts) - sweep))
                writes.append(try client.list(prefix: FlannelBench.prefix + "/subnets/").revision - before.revision)
                // The joiner leaves as an expired lease would make it: the others drop its routes.
                joiner.agent.kill()
                try lan.deleteLink(.name("h\(joiner.number)"))
                _ = try client.delete(FlannelBench.prefix + "/subnets/" + subnet.description.replacingOccurrences(of: "/", with: "-"))
            }
            let median = times.quantile(0.5)
            let growth = firstMedian.map { "\(Table.ratio(median, to: $0)) the 2-host join" } ?? "the base"
            firstMedian = firstMedian ?? median
            Table.row("\(size) hosts (\(size - 1) others ping the joiner)",
                      "\(Table.duration(median)) (\(Table.duration(times.quantile(0))) to \(Table.duration(times.quantile(1))))",
                      "\(growth); the pings alone, once converged: \(Table.duration(sweeps.quantile(0.5))); etcd writes per join: \(writes.map(String.init).joined(separator: ", "))")
        }
    }

    /// A new host on the LAN: a namespace of its own with eth0 cabled to the bridge and an
    /// address on it, and its agent, which (unless told not to) has said it is ready.
    private func join(_ number: Int, lan: RouteNetlink, waitForReady: Bool = true) throws -> Host {
        let namespace = try inNewNamespace { () throws -> NetworkNamespace in
            let netlink = try RouteNetlink()
            try netlink.setLink("lo", [.up])
            return try NetworkNamespace.current()
        }
        let port = "h\(number)"
        try lan.addLink(port, .veth(peer: "eth0", peerNamespace: .namespace(namespace)))
        try lan.setLink(.name(port), [.master("lan"), .up])
        let address = "10.32.\(number / 250).\(number % 250 + 1)/16"
        let agent = try namespace.perform { () throws(KernelError) -> Spawned? in
            let netlink = try RouteNetlink()
            try netlink.addAddress(IPPrefix(address)!, to: "eth0")
            try netlink.setLink("eth0", [.up])
            // A mount namespace of its own, as the agent requires, for its subnet file's tmpfs.
            return try? Spawned.start(["/usr/bin/unshare", "--mount", options.flannel, "--etcd-endpoints", "http://\(FlannelBench.etcdAddress):2379", "--iface", "eth0",
                                       "--subnet-file", work + "/subnet-\(number).env", "--subnet-lease-ttl", "600"],
                                      environment: ["PATH=/usr/sbin:/usr/bin:/sbin:/bin"])
        }
        guard let agent else { throw BenchError("cannot start \(options.flannel)") }
        let host = Host(number: number, namespace: namespace, agent: agent)
        if waitForReady { _ = try ready(host) }
        return host
    }

    /// The subnet a host's agent leased, from the line it prints when it is ready.
    private func ready(_ host: Host) throws -> IPv4Subnet {
        let deadline = Clock.now() + 10_000_000_000
        try host.agent.read(until: "ready ", deadline: deadline)
        try host.agent.read(until: "\n", deadline: deadline)
        let lines = String(decoding: host.agent.received, as: UTF8.self).split(separator: "\n")
        guard let line = lines.last(where: { $0.hasPrefix("ready ") }), let subnet = IPv4Subnet(String(line.dropFirst(6))) else {
            throw BenchError("host \(host.number)'s agent said no subnet: \(host.agent.tail)")
        }
        return subnet
    }

    private func waitForEtcd(_ client: EtcdClient) throws {
        let deadline = Clock.now() + 20_000_000_000
        while Clock.now() < deadline {
            // Any answer will do, the key being absent too.
            do { _ = try client.get(FlannelBench.prefix + "/config"); return } catch { usleep(50_000) }
        }
        throw BenchError("etcd did not answer within 20 s (its log: \(work)/etcd.log)")
    }

    /// When the watch saw the joiner's lease written.
    private func leaseSeen(_ watch: EtcdWatch) throws -> UInt64 {
        let deadline = Clock.now() + 10_000_000_000
        while Clock.now() < deadline {
            if let events = try watch.next(timeout: 1), !events.isEmpty { return Clock.now() }
        }
        throw BenchError("no lease appeared in etcd within 10 s")
    }

    /// When the last of `hosts` got its first answer from `target`, pinging round the hosts
    /// that have not had one yet (a missing route fails at once; a present one answers in
    /// well under the 20 ms allowed).
    private func firstAnswers(to target: IPAddress, from hosts: [Host]) throws -> UInt64 {
        var waiting = hosts
        let deadline = Clock.now() + 30_000_000_000
        while !waiting.isEmpty {
            guard Clock.now() < deadline else { throw BenchError("\(waiting.count) hosts had no answer from \(target) within 30 s") }
            waiting.removeAll { host in
                let replies = try? host.namespace.perform { () throws(KernelError) in try Kernel.Ping.echo(target, count: 1, timeout: 0.02) }
                return !(replies ?? []).isEmpty
            }
        }
        return Clock.now()
    }
}
