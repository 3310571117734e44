import Foundation
import Kernel
import Testing

/// Lab 11's VXLAN by hand, built with BoxLab's own ip and bridge: the LAN (netns lan, bridge
/// switch), hosts node2 and node3, containers c2 and c3 below them, and flannel's vxlan
/// backend wired on each host; c2 reaches c3 through the tunnel, and no longer once node2
/// forgets which host node3's VTEP MAC is behind. Failing checks name what the kernel lacks.
@Suite(.enabled(if: Harness.isRoot, "needs root: namespaces and links"))
struct VXLANTests {
    /// The LAN, node2 and node3 with their containers, IP forwarding on: lab 11's first steps.
    static let hosts = """
        ip netns add lan
        ip -n lan link add switch type bridge
        ip -n lan link set switch up
        ip netns add node2
        ip -n node2 link add eth0 type veth peer name port-node2 netns lan
        ip -n lan link set port-node2 master switch
        ip -n lan link set port-node2 up
        ip -n node2 addr add 192.168.32.129/24 dev eth0
        ip -n node2 link set eth0 up
        ip -n node2 link set lo up
        ip netns add node3
        ip -n node3 link add eth0 type veth peer name port-node3 netns lan
        ip -n lan link set port-node3 master switch
        ip -n lan link set port-node3 up
        ip -n node3 addr add 192.168.32.130/24 dev eth0
        ip -n node3 link set eth0 up
        ip -n node3 link set lo up
        ip netns add c2
        ip -n node2 link add docker0 type bridge
        ip -n node2 addr add 172.18.1.1/24 dev docker0
        ip -n node2 link set docker0 up
        ip -n node2 link add veth-c2 type veth peer name eth0 netns c2
        ip -n node2 link set veth-c2 master docker0
        ip -n node2 link set veth-c2 up
        ip -n c2 addr add 172.18.1.2/24 dev eth0
        ip -n c2 link set eth0 up
        ip -n c2 route add default via 172.18.1.1
        ip netns add c3
        ip -n node3 link add docker0 type bridge
        ip -n node3 addr add 172.18.2.1/24 dev docker0
        ip -n node3 link set docker0 up
        ip -n node3 link add veth-c3 type veth peer name eth0 netns c3
        ip -n node3 link set veth-c3 master docker0
        ip -n node3 link set veth-c3 up
        ip -n c3 addr add 172.18.2.2/24 dev eth0
        ip -n c3 link set eth0 up
        ip -n c3 route add default via 172.18.2.1
        ip netns exec node2 sysctl -w net.ipv4.ip_forward=1
        ip netns exec node3 sysctl -w net.ipv4.ip_forward=1
        """

    @Test("flannel's vxlan backend by hand: c2 reaches c3 over VXLAN, and does not without node2's fdb entry")
    func byHand() throws {
        let harness = Harness()
        let lab = try harness.writeLab("93-vxlan.md", """
            ---
            id: 93-vxlan
            title: VXLAN by hand
            ---
            ## Step 1: The LAN and two hosts
            ```run
            \(VXLANTests.hosts)
            ```
            ```expect
            reach 192.168.32.130 from node2
            not reach 172.18.2.2 from c2
            ```
            ## Step 2: VXLAN
            ```run
            ip -n node2 link add flannel.1 address 0e:00:00:00:01:00 type vxlan id 1 local 192.168.32.129 dev eth0 dstport 8472 nolearning
            ip -n node2 addr add 172.18.1.0/32 dev flannel.1
            ip -n node2 link set flannel.1 up
            ip -n node2 route add 172.18.2.0/24 via 172.18.2.0 dev flannel.1 onlink
            ip -n node2 neigh add 172.18.2.0 lladdr 0e:00:00:00:02:00 dev flannel.1 nud permanent
            bridge -n node2 fdb append 0e:00:00:00:02:00 dev flannel.1 dst 192.168.32.130
            ip -n node3 link add flannel.1 address 0e:00:00:00:02:00 type vxlan id 1 local 192.168.32.130 dev eth0 dstport 8472 nolearning
            ip -n node3 addr add 172.18.2.0/32 dev flannel.1
            ip -n node3 link set flannel.1 up
            ip -n node3 route add 172.18.1.0/24 via 172.18.1.0 dev flannel.1 onlink
            ip -n node3 neigh add 172.18.1.0 lladdr 0e:00:00:00:01:00 dev flannel.1 nud permanent
            bridge -n node3 fdb append 0e:00:00:00:01:00 dev flannel.1 dst 192.168.32.129
            ip -d -n node2 link show flannel.1
            ip -n node2 route show
            ip -n node2 neigh show dev flannel.1
            bridge -n node2 fdb show dev flannel.1
            ip netns exec c2 ping -c 1 172.18.2.2
            ```
            ```expect
            link flannel.1 in node2 kind=vxlan id=1 dstport=8472 local=192.168.32.129 dev=eth0
            fdb flannel.1 has 0e:00:00:00:02:00 dst 192.168.32.130 in node2
            fdb flannel.1 has node3:flannel.1 dst 192.168.32.130 in node2
            route 172.18.2.0/24 via 172.18.2.0 dev flannel.1 onlink in node2
            neigh 172.18.2.0 lladdr 0e:00:00:00:02:00 dev flannel.1 in node2
            neigh 172.18.2.0 lladdr node3:flannel.1 dev flannel.1 in node2
            reach 172.18.2.2 from c2
            ```
            ## Step 3: Without the forwarding entry
            ```run
            bridge -n node2 fdb del 0e:00:00:00:02:00 dev flannel.1 dst 192.168.32.130
            ```
            ```expect
            not reach 172.18.2.2 from c2
            not fdb flannel.1 has 0e:00:00:00:02:00 dst 192.168.32.130 in node2
            ```
            """)
        let result = try harness.boxlab("run", lab)
        #expect(result.status == 0, "\(result.output)")
        harness.expectLines([
            "    vxlan id 1 local 192.168.32.129 dev eth0 srcport 0 0 dstport 8472 nolearning ttl auto ageing 300",
            "172.18.2.0/24 via 172.18.2.0 dev flannel.1 onlink",
            "172.18.2.0 dev flannel.1 lladdr 0e:00:00:00:02:00 PERMANENT",
            "0e:00:00:00:02:00 dev flannel.1 dst 192.168.32.130 self permanent",
            "  + link flannel.1 in node2 (vxlan, up, vni 1)",
            "  + route 172.18.2.0/24 via 172.18.2.0 dev flannel.1 onlink in node2",
            "✓ flannel.1 in node2 is a vxlan link (id 1, local 192.168.32.129, dev eth0, dstport 8472)",
            "✓ flannel.1 in node2 sends frames for 0e:00:00:00:02:00 to 192.168.32.130",
            "✓ flannel.1 in node2 sends frames for node3:flannel.1's MAC to 192.168.32.130 (0e:00:00:00:02:00)",
            "✓ node2 has a route to 172.18.2.0/24 via 172.18.2.0 dev flannel.1 onlink",
            "✓ 172.18.2.0 on flannel.1 in node2 is at 0e:00:00:00:02:00",
            "✓ 172.18.2.0 on flannel.1 in node2 is at node3:flannel.1's MAC (0e:00:00:00:02:00)",
            "✓ 172.18.2.2 answers ping from c2",
            "✓ 172.18.2.2 does not answer ping from c2",
            "✓ not: flannel.1 in node2 sends frames for 0e:00:00:00:02:00 to 192.168.32.130",
        ], in: result.stdout)
        harness.expectNothingLeft()
    }

    @Test("a VXLAN half wired: each missing piece found, with the command that adds it")
    func halfWired() throws {
        let harness = Harness()
        let lab = try harness.writeLab("93-vxlan-half.md", """
            ---
            id: 93-vxlan-half
            title: VXLAN half wired
            ---
            ## Step 1: node2's device, with no neighbour, no forwarding entry and a route without onlink
            ```run
            ip netns add node2
            ip -n node2 link add eth0 type veth peer name port-node2
            ip -n node2 addr add 192.168.32.129/24 dev eth0
            ip -n node2 link set eth0 up
            ip -n node2 link add flannel.1 address 0e:00:00:00:01:00 type vxlan id 1 local 192.168.32.129 dev eth0 dstport 8472 nolearning
            ip -n node2 link set flannel.1 up
            ip -n node2 route add 172.18.2.0/24 dev flannel.1
            ```
            ```expect
            fdb flannel.1 has 0e:00:00:00:02:00 dst 192.168.32.130 in node2
            neigh 172.18.2.0 lladdr 0e:00:00:00:02:00 dev flannel.1 in node2
            route 172.18.2.0/24 via 172.18.2.0 dev flannel.1 onlink in node2
            link flannel.1 in node2 kind=vxlan id=2 dstport=4789 dev=eth0
            link eth0 in node2 id=1
            fdb eth0 has 0e:00:00:00:02:00 dst 192.168.32.130 in node2
            neigh 172.18.2.0 lladdr node3:flannel.1 dev flannel.1 in node2
            ```
            """)
        let result = try harness.boxlab("run", lab)
        #expect(result.status == 1, "\(result.output)")
        harness.expectLines([
            "✗ flannel.1 in node2 sends frames for 0e:00:00:00:02:00 to 192.168.32.130",
            "found: flannel.1 has no entry for 0e:00:00:00:02:00",
            "cause: the kernel does not know which host to send frames for 0e:00:00:00:02:00 to: add `bridge -n node2 fdb append 0e:00:00:00:02:00 dev flannel.1 dst 192.168.32.130`",
            "✗ 172.18.2.0 on flannel.1 in node2 is at 0e:00:00:00:02:00",
            "found: flannel.1 has no neighbour entry for 172.18.2.0",
            "cause: the kernel would ask for 172.18.2.0's MAC by ARP, which no host on the other side of flannel.1 answers: `ip -n node2 neigh add 172.18.2.0 lladdr 0e:00:00:00:02:00 dev flannel.1 nud permanent`",
            "✗ node2 has a route to 172.18.2.0/24 via 172.18.2.0 dev flannel.1 onlink",
            "found: the route is 172.18.2.0/24 dev flannel.1 scope link",
            "cause: 172.18.2.0 is on no network flannel.1 has: `ip -n node2 route replace 172.18.2.0/24 via 172.18.2.0 dev flannel.1 onlink` takes it as on flannel.1's link anyway",
            "✗ flannel.1 in node2 is a vxlan link (id 2, dev eth0, dstport 4789)",
            "found: its id is 1; its dstport is 8472",
            "found: it is not a VXLAN link: it has no id, port or dev",
            "found: eth0 is a veth link, not a VXLAN device",
            "found: there is no network namespace node3",
        ], in: result.stdout)
        harness.expectNothingLeft()
    }

    /// Neighbours, forwarding entries and routes live in their device: deleting the device
    /// (as reset does with the links a killed lab made on the host) takes them along.
    @Test("host mode: a VXLAN device made on the host goes at reset after SIGKILL, its neighbour, fdb entry and route with it")
    func hostReset() throws {
        let harness = Harness()
        try harness.runKilledInTheMiddle("""
        ip link add boxlab-vx7 address 0e:00:00:00:07:00 type vxlan id 7 dstport 8472 nolearning
        ip link set boxlab-vx7 up
        ip neigh add 10.77.0.9 lladdr 0e:00:00:00:07:09 dev boxlab-vx7 nud permanent
        bridge fdb append 0e:00:00:00:07:09 dev boxlab-vx7 dst 10.77.0.2
        ip route add 10.78.0.0/24 via 10.78.0.0 dev boxlab-vx7 onlink
        """)
        let netlink = try RouteNetlink()
        #expect(try netlink.routes().contains { $0.destination == IPPrefix("10.78.0.0/24") }, "the lab ran before it was killed")
        let reset = try harness.boxlab("reset")
        #expect(reset.status == 0, "\(reset.output)")
        #expect(reset.stdout.contains("deleted link boxlab-vx7"), "\(reset.stdout)")
        #expect(try netlink.links().allSatisfy { $0.name != "boxlab-vx7" })
        #expect(try netlink.routes().allSatisfy { $0.destination != IPPrefix("10.78.0.0/24") })
        #expect(try netlink.neighbours().allSatisfy { $0.address != IPAddress("10.77.0.9") })
        #expect(try netlink.bridgeFDB().allSatisfy { $0.linkAddress != MACAddress("0e:00:00:00:07:09") })
        harness.expectNothingLeft()
    }
}
