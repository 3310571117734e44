import Foundation
import Lab
import Testing

/// `capture` and `captured …` on lab 11's hosts wired by hand with the real ip and bridge
/// tools: node2 and node3 on one underlay link, a container below each, and between them
/// flannel's VXLAN (or, for the near-miss, plain static routes).
@Suite(.enabled(if: Harness.isRoot, "needs root: namespaces, links and packet sockets"))
struct CaptureTests {
    /// An sh block: the hosts and containers, then `wiring`.
    static func hosts(_ wiring: String) -> String {
        """
        ```sh
        set -e
        for n in node2 node3 c2 c3; do ip netns add $n; done
        ip -n node2 link add eth0 type veth peer name eth0 netns node3
        ip -n node2 addr add 192.168.32.129/24 dev eth0; ip -n node2 link set eth0 up
        ip -n node3 addr add 192.168.32.130/24 dev eth0; ip -n node3 link set eth0 up
        for i in 2 3; do
          n=node$i; c=c$i; s=$((i-1))
          ip -n $n link set lo up
          ip -n $n link add docker0 type bridge; ip -n $n addr add 172.18.$s.1/24 dev docker0; ip -n $n link set docker0 up
          ip -n $n link add veth-$c type veth peer name eth0 netns $c
          ip -n $n link set veth-$c master docker0 up
          ip -n $c addr add 172.18.$s.2/24 dev eth0; ip -n $c link set eth0 up
          ip -n $c route add default via 172.18.$s.1
          ip netns exec $n sysctl -qw net.ipv4.ip_forward=1
        done
        \(wiring)
        ```


        """
    }

    /// flannel's vxlan backend on `node` (its subnet `mine`) towards the peer (`peer`, at
    /// `underlay`); `fdb: false` leaves out the entry that says where the peer's VTEP is.
    static func vxlan(_ node: String, local: String, id: Int, mine: Int, peer: Int, underlay: String, fdb: Bool = true) -> String {
        """
        ip -n \(node) link add flannel.1 address 0e:00:00:00:0\(mine):00 type vxlan id \(id) local \(local) dev eth0 dstport 8472 nolearning
        ip -n \(node) addr add 172.18.\(mine).0/32 dev flannel.1; ip -n \(node) link set flannel.1 up
        ip -n \(node) route add 172.18.\(peer).0/24 via 172.18.\(peer).0 dev flannel.1 onlink
        ip -n \(node) neigh add 172.18.\(peer).0 lladdr 0e:00:00:00:0\(peer):00 dev flannel.1 nud permanent
        \(fdb ? "bridge -n \(node) fdb append 0e:00:00:00:0\(peer):00 dev flannel.1 dst \(underlay)" : "")
        """
    }

    static func lab(_ id: String, _ wiring: String, run: String = "", expect: String) -> String {
        """
        ---
        id: \(id)
        title: Capture
        ---
        ## Step 1: Two hosts
        \(hosts(wiring))\(run.isEmpty ? "" : "```run\n\(run)\n```\n\n")```expect
        \(expect)
        ```

        """
    }

    static let overlay = vxlan("node2", local: "192.168.32.129", id: 1, mine: 1, peer: 2, underlay: "192.168.32.130")
        + "\n" + vxlan("node3", local: "192.168.32.130", id: 1, mine: 2, peer: 1, underlay: "192.168.32.129")
    static let expectation = "captured vxlan vni 1 inner icmp from c2 to 172.18.2.2 on node3:eth0"

    @Test("capture shows c2's echo to c3 crossing node3's eth0 in VXLAN, header by header, and captured passes")
    func vxlanEcho() throws {
        let harness = Harness()
        let lab = try harness.writeLab("91-capture.md", Self.lab("91-capture", Self.overlay, run: """
            capture -n node3 -i eth0 vxlan -- ip netns exec c2 ping -c 1 172.18.2.2
            capture -i node3:eth0 -c 1 icmp and udp port 8472 -- ip netns exec c2 ping -c 2 172.18.2.2
            capture -n node2 -i flannel.1 arp
            """, expect: Self.expectation + "\nnot captured vxlan vni 2 inner icmp from c2 to 172.18.2.2 on node3:eth0"))
        let result = try harness.boxlab("run", lab, "--trust")
        #expect(result.status == 0, "\(result.output)")
        let output = TranscriptNormalizer.normalize(result.stdout)
        harness.expectLines([
            "  socket(AF_PACKET, SOCK_RAW|SOCK_CLOEXEC, 0) = <fd>\n  ioctl(<fd>, SIOCGIFINDEX, {ifr_name=\"eth0\", ifr_ifindex=2}) = 0\n"
                + "  bind(<fd>, {sll_family=AF_PACKET, sll_protocol=htons(ETH_P_ALL), sll_ifindex=2}, 20) = 0\n",
            "  recvfrom(<fd>, …, 65536, MSG_TRUNC, {sll_family=AF_PACKET, sll_ifindex=2, …}, [20]) = <frames>\n",
            """
            1 packets transmitted, 1 received
            1  node3:eth0 in  103 bytes
               Ethernet  <mac> > <mac>, IPv4
               IPv4      192.168.32.129 > 192.168.32.130, UDP, ttl 64, length 89
               UDP       <port> > 8472, length 61
               VXLAN     flags [I], VNI 1
                 Ethernet  <mac> > <mac>, IPv4
                 IPv4      172.18.1.2 > 172.18.2.2, ICMP, ttl 63, length 39
                 ICMP      echo request, id <id>, seq 1
            2  node3:eth0 out 103 bytes
               Ethernet  <mac> > <mac>, IPv4
               IPv4      192.168.32.130 > 192.168.32.129, UDP, ttl 64, length 89
               UDP       <port> > 8472, length 61
               VXLAN     flags [I], VNI 1
                 Ethernet  <mac> > <mac>, IPv4
                 IPv4      172.18.2.2 > 172.18.1.2, ICMP, ttl 63, length 39
                 ICMP      echo reply, id <id>, seq 1
            2 frames captured on node3:eth0
            """,
            "2 packets transmitted, 2 received\n1  node3:eth0 in  103 bytes\n",
            "ICMP      echo request, id <id>, seq 1\n1 frame captured on node3:eth0\n",
            "0 frames captured on node2:flannel.1\n",
            "✓ an echo from c2 to 172.18.2.2 crosses node3:eth0 in VXLAN with VNI 1",
            "✓ not: an echo from c2 to 172.18.2.2 crosses node3:eth0 in VXLAN with VNI 2",
        ], in: output)
        // The inner MACs are the VTEPs' (flannel's 0e:… addresses), before normalisation.
        #expect(result.stdout.contains("     Ethernet  0e:00:00:00:01:00 > 0e:00:00:00:02:00, IPv4\n"), "\(result.stdout)")
        harness.expectNothingLeft()
    }

    @Test("captured fails, saying what crossed instead: a plain route, another VNI, or nothing")
    func nearMisses() throws {
        let harness = Harness()
        let routes = """
            ip -n node2 route add 172.18.2.0/24 via 192.168.32.130
            ip -n node3 route add 172.18.1.0/24 via 192.168.32.129
            """
        let otherVNI = Self.vxlan("node2", local: "192.168.32.129", id: 2, mine: 1, peer: 2, underlay: "192.168.32.130")
            + "\n" + Self.vxlan("node3", local: "192.168.32.130", id: 1, mine: 2, peer: 1, underlay: "192.168.32.129")
        let noFDB = Self.vxlan("node2", local: "192.168.32.129", id: 1, mine: 1, peer: 2, underlay: "192.168.32.130", fdb: false)
            + "\n" + Self.vxlan("node3", local: "192.168.32.130", id: 1, mine: 2, peer: 1, underlay: "192.168.32.129")
        for (id, wiring, found) in [
            ("92-static", routes, "found: the echo crossed node3:eth0 unencapsulated (a static route, not VXLAN)"),
            ("93-vni", otherVNI, "found: the echo crossed node3:eth0 in VXLAN with VNI 2"),
            ("94-fdb", noFDB, "found: nothing crossed node3:eth0: the echo from c2 never reached it"),
        ] {
            let lab = try harness.writeLab("\(id).md", Self.lab(id, wiring, expect: Self.expectation))
            let result = try harness.boxlab("run", lab, "--trust")
            #expect(result.status == 1, "\(result.output)")
            harness.expectLines(["✗ an echo from c2 to 172.18.2.2 crosses node3:eth0 in VXLAN with VNI 1", found], in: result.stdout)
        }
        harness.expectNothingLeft()
    }

    @Test("capture's bad input: one line naming the problem")
    func badInput() throws {
        let harness = Harness()
        let lab = try harness.writeLab("95-capture-bad.md", Self.lab("95-capture-bad", "", run: "capture -n node3 -i eth9 -- ip netns exec c2 ping -c 1 172.18.2.2", expect: "netns node3"))
        let result = try harness.boxlab("run", lab, "--trust")
        #expect(result.status == 1, "\(result.output)")
        harness.expectLines(["95-capture-bad.md:26: capture: no link eth9 in node3\n  cause: `ip -n node3 link` lists the links\n"], in: result.output)
        harness.expectNothingLeft()
    }
}
