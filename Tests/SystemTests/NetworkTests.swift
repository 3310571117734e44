import Foundation
import Lab
import Testing

/// The network labs done by hand with iproute2 beside the REPL, checked by BoxLab; and
/// network bad input answered in one line with the kernel's errno.
@Suite(.enabled(if: Harness.isRoot, "needs root: namespaces and links"))
struct NetworkTests {
    @Test("the bridge wired by hand with ip in boxlab shell passes check; near-misses fail with the cause")
    func bridgeByHand() throws {
        let harness = Harness()
        let repl = try SessionTests.OpenRepl(harness, ["05-bridge", "--mode", "exercise"])
        #expect(repl.waitFor("05-bridge 1/4>", harness))
        repl.type("skip")
        #expect(repl.waitFor("05-bridge 2/4>", harness))

        // Three mistakes at once: veth-c1 left down and not on the bridge, and a /24 where the network is a /16.
        var shell = try harness.boxlab("shell", "-c", """
            set -e
            ip netns add c1
            ip link add veth-c1 type veth peer name eth0 netns c1
            ip -n c1 addr add 172.17.0.2/24 dev eth0
            ip -n c1 link set eth0 up
            ip -n c1 link set lo up
            ip -n c1 route add default via 172.17.0.1
            ip netns list
            """)
        #expect(shell.status == 0, "\(shell.output)")
        #expect(shell.stdout.contains("c1"), "real ip sees the namespace: \(shell.stdout)")
        var check = try harness.boxlab("check", "05-bridge", "--step", "2")
        #expect(check.status == 1)
        harness.expectLines([
            "found: veth-c1 is DOWN; docker0 has no port veth-c1: it has no master",
            "cause: links start down: ip link set veth-c1 up",
            "found: eth0 in c1 has 172.17.0.2/24",
            "cause: the prefix length is /24, not /16",
            "✗ 172.17.0.2 answers ping from host",
        ], in: check.stdout)

        shell = try harness.boxlab("shell", "-c", """
            set -e
            ip link set veth-c1 master docker0
            ip link set veth-c1 up
            ip -n c1 addr del 172.17.0.2/24 dev eth0
            ip -n c1 addr add 172.17.0.2/16 dev eth0
            ip -n c1 route replace default via 172.17.0.1
            """)
        #expect(shell.status == 0, "\(shell.output)")
        check = try harness.boxlab("check", "05-bridge", "--step", "2")
        #expect(check.status == 0, "\(check.stdout)")

        let ended = repl.quit()
        #expect(ended.status == 0, "\(ended.output)")
        harness.expectNothingLeft()
    }

    @Test("show net draws the bridge lab's wiring; --dot gives Graphviz")
    func picture() throws {
        let harness = Harness()
        let result = try harness.boxlab("05-bridge", "--mode", "exercise", "--restart", stdin: "skip\nskip\nskip\nshow net\nshow net --dot\nquit\n")
        #expect(result.status == 0, "\(result.output)")
        harness.expectLines([
            "  docker0 bridge UP 172.17.0.1/16",
            "  ├─ veth-c1 UP ═════ c1: eth0 UP 172.17.0.2/16",
            "  └─ veth-c3 UP ═════ c3: eth0 UP 172.17.0.4/16",
            "netns c1  default via 172.17.0.1",
            "  \"host/veth-c2\" -- \"c2/eth0\" [penwidth=3, label=\"veth\"];",
        ], in: result.stdout)
        harness.expectNothingLeft()
    }

    @Test("IPv6 addresses, routes with a scope, and the neighbour table")
    func moreOfIp() throws {
        let harness = Harness()
        let lab = try harness.writeLab("98-more.md", """
            ---
            id: 98-more
            title: More
            ---
            ## Step 1: A cable with IPv4 and IPv6
            ```run
            ip netns add red
            ip netns add blue
            ip link add veth-red type veth peer name veth-blue
            ip link set veth-red netns red
            ip link set veth-blue netns blue
            ip -n red addr add 10.0.0.1/24 dev veth-red
            ip -n red addr add fd00::1/64 dev veth-red
            ip -n blue addr add 10.0.0.2/24 dev veth-blue
            ip -n red link set veth-red up
            ip -n blue link set veth-blue up
            ip -n red route add 10.9.0.0/16 dev veth-red scope link
            ip netns exec red ping -c 2 10.0.0.2
            ip -n red neigh show
            ip -n red addr show veth-red
            ip -n red route show
            ```
            ```expect
            address fd00::1/64 on veth-red in red
            route 10.9.0.0/16 dev veth-red in red
            ```
            """)
        let result = try harness.boxlab("run", lab)
        #expect(result.status == 0, "\(result.output)")
        harness.expectLines(["    inet6 fd00::1/64 scope global veth-red", "10.9.0.0/16 dev veth-red scope link", "10.0.0.2 dev veth-red lladdr "], in: result.stdout)
        harness.expectNothingLeft()
    }

    /// A macvlan made straight into another namespace (`netns`) keeps its parent in this one;
    /// ipvlan is made where the kernel has it, and refused with the reason where it has not.
    @Test("macvlan and ipvlan: ip link add link PARENT … netns NS, ip -d, a mode changed, mode= and parent= checked against the kernel")
    func macvlanAndIpvlan() throws {
        let harness = Harness()
        let ipvlan = KernelFeature.ipvlan.isPresent
        let lab = try harness.writeLab("96-vlan.md", """
            ---
            id: 96-vlan
            title: Vlan
            ---
            ## Step 1: Children on a veth
            ```run
            ip netns add red
            ip link add vA type veth peer name vB
            ip link add link vA name mv0 netns red type macvlan mode vepa
            ip link add link vA name mv1 type macvlan
            ip -d -n red link show mv0
            ip -d link show mv1
            ip -n red link set mv0 type macvlan mode bridge
            ```
            ```expect
            link mv0 in red kind=macvlan mode=bridge parent=host:vA
            not link mv0 in red parent=host:vB
            not link mv0 in red parent=vA
            link mv1 kind=macvlan mode=vepa parent=vA
            not link mv1 mode=bridge
            not link vB parent=vA
            not same-mac mv1 vA
            same-mac mv1 mv1
            ```
            ## Step 2: ipvlan
            ```run
            ip link add link vB name ipv0 type ipvlan mode l3
            ```
            """)
        let result = try harness.boxlab("run", lab)
        harness.expectLines([
            "    macvlan mode vepa", "✓ mv0 in red is a macvlan link (mode bridge, on host:vA)",
            "✓ not: mv0 in red is a link (on host:vB)", "✓ not: mv0 in red is a link (on vA)",
            "✓ mv1 is a macvlan link (mode vepa, on vA)", "✓ not: vB is a link (on vA)", "✓ mv1 and vA have different MAC addresses",
        ], in: result.stdout)
        #expect(result.stdout.contains(": mv0@if"), "ip names a parent in another namespace by index: \(result.stdout)")
        if ipvlan {
            #expect(result.status == 0, "\(result.output)")
        } else {
            #expect(result.status == 1)
            harness.expectLines(["✗ \(lab):27: ip: cannot add ipv0: EOPNOTSUPP (Operation not supported)",
                                 "  cause: Unknown device type; this kernel has no ipvlan (CONFIG_IPVLAN): neither built in nor a module it could load"],
                                in: result.stdout)
        }
        harness.expectNothingLeft()
    }

    @Test("same-netns compares the namespaces' inodes, of names, host and pids")
    func sameNamespace() throws {
        let harness = Harness()
        let lab = try harness.writeLab("97-same.md", """
            ---
            id: 97-same
            title: Same
            ---
            ## Step 1: Two namespaces
            ```run
            ip netns add red
            ip netns add blue
            ```
            ```expect
            same-netns red red
            same-netns host 1
            not same-netns red blue
            not same-netns red host
            ```
            """)
        let result = try harness.boxlab("run", lab)
        #expect(result.status == 0, "\(result.output)")
        #expect(result.stdout.contains("✓ red and blue are in different network namespaces"), "\(result.stdout)")
        harness.expectNothingLeft()
    }

    /// A command, the one error line it must fail with, and the cause shown under it.
    static let badCommands: [(command: String, error: String, cause: String?)] = [
        ("ip link add a-name-of-sixteen type dummy", "ip: cannot add a-name-of-sixteen: EINVAL (Invalid argument)",
         "\"a-name-of-sixteen\" is 17 bytes long; a link name has at most 15 (IFNAMSIZ-1)"),
        ("ip -n nowhere link show", "ip: cannot open network namespace \"nowhere\": ENOENT (No such file or directory)",
         "there is no namespace nowhere: `ip netns list` shows them"),
        ("ip addr add 10.0.0.300/24 dev lo", "ip: \"10.0.0.300/24\" is not an address", "write ADDRESS/PREFIX, e.g. 10.0.0.1/24"),
        ("ip addr add 10.0.0.1/33 dev lo", "ip: \"10.0.0.1/33\" is not an address", "write ADDRESS/PREFIX, e.g. 10.0.0.1/24"),
        ("ip link add lo type dummy", "ip: cannot add lo: EEXIST (File exists)", "it already exists"),
        ("ip link add v1 type veth", "ip: a veth needs its peer: peer name PEER", nil),
        ("ip link set nothing-here up", "ip: cannot change nothing-here: ENODEV (No such device)", "no such device: `ip link` lists the links"),
        ("ip link add v1 type veth peer name v2 netns nowhere", "ip: cannot open network namespace \"nowhere\": ENOENT (No such file or directory)",
         "`ip netns list` shows them"),
        ("ip route add default via 192.0.2.1", "ip: cannot add route default: ENETUNREACH (Network is unreachable)",
         "Nexthop has invalid gateway; no route to the gateway: add the address that covers it first"),
        ("ping -c 1 not-an-address", "ping: not-an-address: not an IPv4 address", "BoxLab's ping takes an address, not a name"),
        ("ip link add mv0 type macvlan mode bridge", "ip: a macvlan link sits on a parent: link PARENT",
         "e.g. ip link add link eth0 name mv0 type macvlan mode bridge"),
        ("ip link add link lo name mv0 type macvlan mode bridged", "ip: \"bridged\" is not a macvlan mode",
         "the modes are private, vepa, bridge, passthru, source"),
        ("ip link set lo type veth", "ip: BoxLab changes the settings of macvlan and ipvlan links only, not of \"veth\"",
         "e.g. ip link set lo type macvlan mode bridge"),
        ("ip link add link lo name v1 type veth peer name v2", "ip: a veth link has no parent, yet \"link lo\" names one",
         "link PARENT is for macvlan and ipvlan"),
        ("ip link add flannel.1 type vxlan local 192.168.32.129 dstport 8472", "ip: a vxlan link needs its network identifier: id N",
         "e.g. type vxlan id 1 local 192.168.32.129 dev eth0 dstport 8472"),
        ("ip link add flannel.1 type vxlan id 1 dstport vxlan", "ip: \"vxlan\" is not a UDP port", "0 to 65535; flannel uses 8472, IANA's is 4789"),
        ("ip neigh add 172.18.2.0 dev lo nud permanent", "ip: which MAC has 172.18.2.0? lladdr MAC", "e.g. ip neigh add 172.18.2.0 lladdr 0e:00:00:00:02:00 dev lo"),
        ("ip neigh add 172.18.2.0 lladdr 0e:00:00:00:02:00 dev lo nud stale", "ip: BoxLab writes permanent neighbours only, not \"stale\"",
         "the kernel resolves the others itself, by ARP: nud permanent"),
        ("bridge fdb append 0e:00:00:00:02:00 dev lo master", "bridge: BoxLab writes permanent entries of a link's own table (self permanent), not \"master\"",
         "a bridge learns the others from the frames it forwards"),
        ("bridge fdb del 0e:00:00:00:02:00 dst 192.168.32.130", "bridge: whose table? dev LINK", "e.g. bridge fdb del 0e:00:00:00:02:00 dev flannel.1 dst 192.168.32.130"),
        ("ip route add 172.18.2.0/24 dev lo onlink", "ip: onlink needs via GATEWAY and dev LINK",
         "it says the gateway is on that link whatever its address, e.g. ip route add 172.18.2.0/24 via 172.18.2.0 dev flannel.1 onlink"),
    ]

    @Test("bad network input gives one error line with the errno, and the fix under it", arguments: 0..<badCommands.count)
    func badCommand(index: Int) throws {
        let harness = Harness()
        let (command, error, cause) = NetworkTests.badCommands[index]
        let lab = try harness.writeLab("94-net.md", "---\nid: 94-net\ntitle: Net\n---\n## Step 1: Try\n```run\n\(command)\n```\n")
        let result = try harness.boxlab("run", lab)
        #expect(result.status == 1)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        guard let at = lines.firstIndex(where: { $0.hasPrefix("✗ ") }) else {
            Issue.record("no error line:\n\(result.stdout)")
            return
        }
        #expect(lines[at] == "✗ \(lab):7: \(error)")
        #expect(lines.filter { $0.hasPrefix("✗ ") }.count == 1, "\(result.stdout)")
        if let cause { #expect(lines[at + 1] == "  cause: \(cause)") }
        harness.expectNothingLeft()
    }

    @Test("host mode: links and namespaces made on the host are removed by reset after SIGKILL")
    func hostNetworkReset() throws {
        let harness = Harness()
        try harness.runKilledInTheMiddle("""
        ip link add boxlab-br9 type bridge
        ip netns add boxlab-ns9
        ip link add boxlab-v9 type veth peer name eth0 netns boxlab-ns9
        ip link set boxlab-v9 master boxlab-br9
        """)
        let reset = try harness.boxlab("reset")
        #expect(reset.status == 0, "\(reset.output)")
        #expect(reset.stdout.contains("deleted link boxlab-br9"), "\(reset.stdout)")
        #expect(reset.stdout.contains("removed network namespace /run/netns/boxlab-ns9"), "\(reset.stdout)")
        try expectNoLinks(["boxlab-br9", "boxlab-v9"])
        #expect(!FileManager.default.fileExists(atPath: "/run/netns/boxlab-ns9"))
        harness.expectNothingLeft()
    }

    /// Lab 12's wiring on the host: a macvlan beside its parent and one moved into a
    /// namespace (whose parent stays on the host) are gone after SIGKILL and reset, the
    /// parent too.
    @Test("host mode: macvlan children, on the host and moved away, are removed by reset after SIGKILL")
    func hostMacvlanReset() throws {
        let harness = Harness()
        try harness.runKilledInTheMiddle("""
        ip netns add boxlab-ns8
        ip link add boxlab-up8 type veth peer name boxlab-pe8
        ip link add link boxlab-up8 name boxlab-mv8 type macvlan mode bridge
        ip link add link boxlab-up8 name boxlab-mc8 type macvlan mode private
        ip link set boxlab-mc8 netns boxlab-ns8
        """)
        let reset = try harness.boxlab("reset")
        #expect(reset.status == 0, "\(reset.output)")
        // Undone newest first: the macvlan, then its parent (whose deletion would take it along).
        #expect(reset.stdout.contains("deleted link boxlab-mv8"), "\(reset.stdout)")
        #expect(reset.stdout.contains("deleted link boxlab-up8"), "\(reset.stdout)")
        #expect(reset.stdout.contains("removed network namespace /run/netns/boxlab-ns8"), "\(reset.stdout)")
        try expectNoLinks(["boxlab-up8", "boxlab-pe8", "boxlab-mv8"])
        harness.expectNothingLeft()
    }

    /// None of `names` is a link of the sandbox's network namespace (/proc/net/dev). Only the
    /// test's own names: the tests beside it make links of theirs in the same namespace.
    private func expectNoLinks(_ names: [String], sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let devices = try String(contentsOfFile: "/proc/net/dev", encoding: .utf8)
        let links = devices.split(separator: "\n").compactMap { $0.split(separator: ":").first?.trimmingCharacters(in: .whitespaces) }
        for name in names { #expect(!links.contains(name), "\(devices)", sourceLocation: sourceLocation) }
    }
}
