import Etcd
import Foundation
import Glibc
import Kernel
import Testing

/// Lab 11's network, built by a lab run with `--host --trust` inside the test's sandbox: a
/// real etcd (Debian's etcd-server) in node1, BoxLab's flannel agents in node2 and node3 with
/// a 4-second lease TTL. The state is read as the kernel and etcd hold it, never from BoxLab's
/// output: leases over etcd's gateway, routes, neighbours and FDB entries by netlink dumps,
/// the subnet file through the agent's /proc/PID/root.
@Suite(.enabled(if: Harness.isRoot && FileManager.default.isExecutableFile(atPath: "/usr/bin/etcd"), "needs root and etcd-server"), .serialized)
struct FlannelTests {
    static let lab = """
    ---
    id: 93-flannel
    title: flannel across three hosts
    ---
    ## Step 1: Hosts on a LAN
    ```run
    ip netns add lan
    ip netns add node1
    ip netns add node2
    ip netns add node3
    ip -n lan link add switch type bridge
    ip -n lan link set switch up
    ip -n node1 link add eth0 type veth peer name port-node1 netns lan
    ip -n node2 link add eth0 type veth peer name port-node2 netns lan
    ip -n node3 link add eth0 type veth peer name port-node3 netns lan
    ip -n lan link set port-node1 master switch
    ip -n lan link set port-node2 master switch
    ip -n lan link set port-node3 master switch
    ip -n lan link set port-node1 up
    ip -n lan link set port-node2 up
    ip -n lan link set port-node3 up
    ip -n node1 addr add 192.168.32.128/24 dev eth0
    ip -n node2 addr add 192.168.32.129/24 dev eth0
    ip -n node3 addr add 192.168.32.130/24 dev eth0
    ip -n node1 link set eth0 up
    ip -n node2 link set eth0 up
    ip -n node3 link set eth0 up
    ip -n node1 link set lo up
    ```
    ## Step 2: etcd in node1
    ```run
    ip netns exec node1 etcd --name node1 --data-dir etcd --listen-client-urls http://192.168.32.128:2379,http://127.0.0.1:2379 --advertise-client-urls http://192.168.32.128:2379 --listen-peer-urls http://127.0.0.1:2380 > etcd.log &
    sleep 2
    ip netns exec node1 etcdctl put /coreos.com/network/config '{"Network":"172.18.0.0/16","SubnetMin":"172.18.1.0","SubnetMax":"172.18.254.0","Backend":{"Type":"vxlan"}}'
    ```
    ```expect
    etcd /coreos.com/network/config == '{"Network": "172.18.0.0/16", "SubnetMin": "172.18.1.0", "SubnetMax": "172.18.254.0", "Backend": {"Type": "vxlan"}}' in node1
    etcd /coreos.com/network/subnets/ has 0 keys in node1
    ```
    ## Step 3: The agents
    ```run
    ip netns exec node2 flannel --etcd-endpoints=http://192.168.32.128:2379 --iface=eth0 --subnet-lease-ttl=4 &
    ip netns exec node3 flannel --etcd-endpoints=http://192.168.32.128:2379 --iface=eth0 --subnet-lease-ttl=4 &
    ```
    ```expect
    etcd /coreos.com/network/subnets/ has 2 keys in node1
    etcd /coreos.com/network leases disjoint within config in node1
    ```
    ## Step 4: node3's agent restarts and finds its lease
    ```run
    kill $!
    ip netns exec node3 flannel --etcd-endpoints=http://192.168.32.128:2379 --iface=eth0 --subnet-lease-ttl=4 &
    ```
    ```expect
    etcd /coreos.com/network/subnets/ has 2 keys in node1
    file node3-flannel.log contains "Found lease (ip: 172.18.2.0/24) for current IP (192.168.32.130), reusing"
    ```
    ## Step 5: Wait
    ```sh
    echo waiting; sleep 120
    ```
    """

    /// Asks node1's etcd, from inside node1, at its loopback address.
    private func leases() throws -> [EtcdKeyValue] {
        let result = try NetworkNamespace.open("/run/netns/node1").perform { () throws(KernelError) -> Result<[EtcdKeyValue], EtcdError> in
            do throws(EtcdError) {
                return .success(try EtcdClient(endpoints: [EtcdEndpoint("http://127.0.0.1:2379")!]).list(prefix: "/coreos.com/network/subnets/").pairs)
            } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// The agent running in `host`'s network namespace.
    private func agent(in host: String, of harness: Harness) -> Int32? {
        let inode = try? FileSystem.stat("/run/netns/" + host).inode
        return harness.processesOfOurs().first { pid in
            (try? FileSystem.readlink("/proc/\(pid)/exe"))?.hasSuffix("/boxlab-flannel") == true
                && ProcessTable.namespace("net", of: pid) == inode
        }
    }

    private struct Programmed: Equatable {
        var route = false, neighbour = false, forwarding = false
    }

    /// What node2 holds for node3's lease (172.18.2.0/24, VTEP `mac` at 192.168.32.130).
    private func programmed(on host: String, mac: MACAddress?) throws -> Programmed {
        let netlink = try RouteNetlink(in: NetworkNamespace.open("/run/netns/" + host))
        let vtep = try netlink.link(.name("flannel.1")).index
        let route = try netlink.routes().contains {
            $0.destination == IPPrefix("172.18.2.0/24") && $0.gateway == IPAddress("172.18.2.0") && $0.outputInterface == vtep && $0.onlink
        }
        let neighbour = try netlink.neighbours(family: .inet).contains {
            $0.index == vtep && $0.address == IPAddress("172.18.2.0") && $0.linkAddress == mac && $0.state.contains(.permanent)
        }
        let forwarding = try netlink.bridgeFDB().contains {
            $0.port == vtep && $0.linkAddress == mac && $0.destination == IPAddress("192.168.32.130") && $0.isPermanent
        }
        return Programmed(route: route, neighbour: neighbour, forwarding: forwarding)
    }

    @Test("leases in a real etcd, a restarted agent reusing its lease, the subnet file in the agent's own mount namespace, node3's VXLAN entries on node2 until its lease expires; reset after SIGKILL ends etcd and the agents")
    func agentsAcrossHosts() throws {
        let harness = Harness()
        let lab = try harness.writeLab("93-flannel.md", Self.lab)
        let run = harness.process(["run", lab, "--host", "--trust"])
        try run.start()
        #expect(harness.waitFor { run.output.soFar.contains("waiting") }, "\(run.output.soFar)")
        // A failure below leaves no etcd or agent running: the run is ended and reset.
        defer {
            if FileManager.default.fileExists(atPath: harness.runDir) {
                harness.killBoxLab(besides: run.pid)
                _ = try? harness.boxlab("reset")
            }
        }

        let node2 = try #require(agent(in: "node2", of: harness), "\(run.output.soFar)")
        let node3 = try #require(agent(in: "node3", of: harness))
        let mac2 = try RouteNetlink(in: NetworkNamespace.open("/run/netns/node2")).link(.name("flannel.1")).address
        let mac3 = try RouteNetlink(in: NetworkNamespace.open("/run/netns/node3")).link(.name("flannel.1")).address

        // The lowest free /24 for the first agent, the next for the second, flannel's JSON in each.
        let pairs = try leases()
        #expect(pairs.map(\.key) == ["/coreos.com/network/subnets/172.18.1.0-24", "/coreos.com/network/subnets/172.18.2.0-24"])
        let values = try pairs.map { try FlannelLease(key: $0.key, prefix: "/coreos.com/network", value: $0.value) }
        #expect(values.map(\.publicIP.description) == ["192.168.32.129", "192.168.32.130"])
        #expect(values.map(\.vtepMAC) == [mac2, mac3])
        #expect(pairs.allSatisfy { $0.lease != 0 }, "each lease key is attached to an etcd lease")

        let subnetFile = try String(contentsOfFile: "/proc/\(node2)/root/run/flannel/subnet.env", encoding: .utf8)
        #expect(subnetFile == "FLANNEL_NETWORK=172.18.0.0/16\nFLANNEL_SUBNET=172.18.1.1/24\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=false\n")
        #expect(!FileManager.default.fileExists(atPath: "/run/flannel"), "the agents wrote the sandbox's /run")
        let docker0 = try RouteNetlink(in: NetworkNamespace.open("/run/netns/node2")).addresses(family: .inet).map(\.prefix)
        #expect(docker0.contains(IPPrefix("172.18.1.1/24")!) && docker0.contains(IPPrefix("172.18.1.0/32")!))

        #expect(try programmed(on: "node2", mac: mac3) == Programmed(route: true, neighbour: true, forwarding: true))

        // node3's agent dies without a word; its lease expires after its 4 s TTL and node2's
        // agent removes what it had programmed for it.
        kill(node3, SIGKILL)
        #expect(harness.waitFor(20) { (try? programmed(on: "node2", mac: mac3)) == Programmed() }, "\((try? programmed(on: "node2", mac: mac3)).map { "\($0)" } ?? "")")
        #expect(try leases().map(\.key) == ["/coreos.com/network/subnets/172.18.1.0-24"], "node2's lease is kept alive")

        // etcd runs from the workspace, where its data directory is, and is BoxLab's.
        let etcd = try #require(harness.processesOfOurs().first { (try? FileSystem.readlink("/proc/\($0)/exe")) == "/usr/bin/etcd" })
        #expect(FileManager.default.fileExists(atPath: (try FileSystem.readlink("/proc/\(etcd)/cwd")) + "/etcd/member"))
        #expect(!ProcessTable.hasEnded(node2))
        harness.killBoxLab(besides: run.pid)
        _ = run.wait()
        #expect(!ProcessTable.hasEnded(etcd) && !ProcessTable.hasEnded(node2), "etcd and the agent outlive a SIGKILLed boxlab")
        try harness.resetAndExpectNothingLeft()
    }

    /// A lab whose one line starts an agent with no etcd to ask.
    static let unanswered = """
    ---
    id: 94-no-etcd
    title: flannel with nothing to ask
    ---
    ## Step 1: An agent
    ```run
    ip link set lo up
    flannel --etcd-endpoints=http://127.0.0.1:2379 --iface=lo &
    ```
    """

    @Test("an agent that cannot start, and a missing boxlab-flannel, are one clear line each")
    func failures() throws {
        let harness = Harness()
        let lab = try harness.writeLab("94-no-etcd.md", Self.unanswered)
        let run = try harness.run(harness.process(["run", lab]))
        #expect(run.status != 0)
        harness.expectLines([
            "flannel: boxlab-flannel failed: cannot connect to etcd at http://127.0.0.1:2379: ECONNREFUSED (Connection refused) (is etcd running and listening there?)",
            "cause: its log is flannel.log",
        ], in: run.output)
        harness.expectNothingLeft()

        // boxlab alone in a directory: its agent is not beside it.
        let alone = harness.base + "/alone"
        try FileManager.default.createDirectory(atPath: alone, withIntermediateDirectories: true)
        // Written close-on-exec, so that no program another test starts keeps it open for writing.
        try FileSystem.writeFile(alone + "/boxlab", FileSystem.readFile(Harness.binary), mode: 0o755)
        let without = try harness.run(Child(executable: alone + "/boxlab", arguments: ["run", lab], environment: harness.environment()))
        #expect(without.status != 0)
        harness.expectLines(["flannel: no boxlab-flannel beside boxlab", "cause: build it: swift build --product boxlab-flannel"], in: without.output)
        harness.expectNothingLeft()
    }
}
