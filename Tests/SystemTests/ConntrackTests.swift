import Foundation
import Lab
import Testing

/// Connection tracking for real: a lab of the test's own builds a container namespace and an
/// "outside" one on veth pairs in the sandbox, turns on forwarding and a masquerade (nft in an
/// sh block), makes traffic, and BoxLab's `conntrack -L`, state diff and flow expectations
/// read the kernel's table, with BoxLab playing the server and with a real one (busybox httpd). The near-miss (masquerade on the wrong subnet) fails with the cause.
/// Traffic goes only between the namespaces the lab made, inside the sandbox.
@Suite(.enabled(if: Harness.isRoot, "needs root: namespaces, links and nf_tables"))
struct ConntrackTests {
    /// c1 (172.17.0.2/16 behind veth-c1) and out (203.0.113.1/24 behind veth-out), routed by
    /// the session's own namespace; `outRoute` gives out a route back to the container subnet.
    static func network(outRoute: Bool, forwarding: Bool = true) -> String {
        """
        ```run
        ip netns add c1
        ip netns add out
        ip link add veth-c1 type veth peer name eth0 netns c1
        ip link add veth-out type veth peer name eth0 netns out
        ip addr add 172.17.0.1/16 dev veth-c1
        ip addr add 203.0.113.2/24 dev veth-out
        ip link set veth-c1 up
        ip link set veth-out up
        ip -n c1 addr add 172.17.0.2/16 dev eth0
        ip -n c1 link set eth0 up
        ip -n c1 route add default via 172.17.0.1
        ip -n out addr add 203.0.113.1/24 dev eth0
        ip -n out link set eth0 up
        \(outRoute ? "ip -n out route add 172.17.0.0/16 via 203.0.113.2\n" : "")sysctl -w net.ipv4.ip_forward=\(forwarding ? 1 : 0)
        ```

        """
    }

    static func nat(_ subnet: String) -> String {
        """
        ```sh
        nft add table ip nat
        nft add chain ip nat POSTROUTING '{ type nat hook postrouting priority srcnat; policy accept; }'
        nft add chain ip nat PREROUTING '{ type nat hook prerouting priority dstnat; policy accept; }'
        nft add rule ip nat POSTROUTING ip saddr \(subnet) oifname != veth-c1 masquerade
        nft add rule ip nat PREROUTING iifname veth-out tcp dport 8080 dnat to 172.17.0.2:80
        ```

        """
    }

    @Test("masquerade and DNAT show in conntrack -L, the state diff and the flow expectations")
    func masquerade() throws {
        let harness = Harness()
        let lab = try harness.writeLab("95-nat.md", """
            ---
            id: 95-nat
            title: NAT
            ---
            ## Step 1: Masquerade
            \(Self.network(outRoute: false))\(Self.nat("172.17.0.0/16"))```run
            ip netns exec c1 ping -c 1 203.0.113.1
            conntrack -L -p icmp
            ```

            ```expect
            seen-from 203.0.113.1:80 from c1 == 203.0.113.2
            conntrack tcp 203.0.113.1:80 from c1 translated to 203.0.113.2
            conntrack tcp 203.0.113.2:8080 from out translated to 172.17.0.2:80
            not conntrack tcp 203.0.113.2:8080 from out translated to 172.17.0.2:81
            ```

            ## Step 2: A real server
            A server of the lab's own listens: the connection tracking table says what it saw.

            ```sh
            nsenter --net=/run/netns/out timeout 10 busybox httpd -f -p 81 -h /tmp >/dev/null 2>&1 &
            sleep 0.3
            nsenter --net=/run/netns/out busybox netstat -ltn | grep -c ':81 .*LISTEN'
            ```

            ```expect
            seen-from 203.0.113.1:81 from c1 == 203.0.113.2
            not seen-from 203.0.113.1:81 from c1 == 172.17.0.2
            ```

            """)
        let result = try harness.boxlab("run", lab, "--trust")
        #expect(result.status == 0, "\(result.output)")
        harness.expectLines([
            "$ conntrack -L -p icmp",
            "sendmsg(<fd>, IPCTNL_MSG_CT_GET flags=REQUEST|DUMP, 0) = 20",
            "icmp     1 <s> src=172.17.0.2 dst=203.0.113.1 type=8 code=0 id=<id> src=203.0.113.1 dst=203.0.113.2 type=0 code=0 id=<id> mark=0 use=1",
            "NAT: 172.17.0.2 → 203.0.113.1 left as 203.0.113.2 (SNAT: the source was rewritten; answers to 203.0.113.2 are turned back to 172.17.0.2)",
            "1 flow entry has been shown.",
            "+ flow icmp 172.17.0.2 → 203.0.113.1 (reply 203.0.113.1 → 203.0.113.2: SNAT)",
            "✓ 203.0.113.1:80 sees a connection from c1 coming from 203.0.113.2",
            "✓ the host translated a tcp connection from c1 to 203.0.113.1:80 into 203.0.113.2 (SNAT 172.17.0.2:<port> → 203.0.113.2:<port>)",
            "✓ the host translated a tcp connection from out to 203.0.113.2:8080 into 172.17.0.2:80 (DNAT 203.0.113.2:8080 → 172.17.0.2:80)",
            ":81 .*LISTEN'\n1\n",
            "✓ 203.0.113.1:81 sees a connection from c1 coming from 203.0.113.2",
            "✓ not: 203.0.113.1:81 sees a connection from c1 coming from 172.17.0.2",
        ], in: TranscriptNormalizer.normalize(result.stdout))
        harness.expectNothingLeft()
    }

    @Test("masquerade on the wrong subnet: the server sees the container's own address, and the flow is untranslated")
    func wrongSubnet() throws {
        let harness = Harness()
        let lab = try harness.writeLab("96-nat-miss.md", """
            ---
            id: 96-nat-miss
            title: NAT near-miss
            ---
            ## Step 1: Masquerade the wrong subnet
            \(Self.network(outRoute: true))\(Self.nat("172.18.0.0/16"))```expect
            seen-from 203.0.113.1:80 from c1 == 203.0.113.2
            conntrack tcp 203.0.113.1:80 from c1 translated to 203.0.113.2
            conntrack tcp 203.0.113.1:80 from c1 translated to 203.0.113.2 in out
            ```

            """)
        let result = try harness.boxlab("run", lab, "--trust")
        #expect(result.status == 1, "\(result.output)")
        harness.expectLines([
            "✗ 203.0.113.1:80 sees a connection from c1 coming from 203.0.113.2",
            "found: seen from 172.17.0.2: the source was not rewritten",
            "cause: no masquerade on the way out",
            "✗ the host translated a tcp connection from c1 to 203.0.113.1:80 into 203.0.113.2",
            "found: the flow 172.17.0.2:",
            "was not translated (its reply tuple mirrors it)",
            "cause: no NAT rule matched it: check the rule's subnet, interface and port",
            "✗ out translated a tcp connection from c1 to 203.0.113.1:80 into 203.0.113.2",
            "found: no tcp flow from c1 to 203.0.113.1:80 in the connection table in out",
        ], in: result.stdout)
        harness.expectNothingLeft()
    }

    @Test("forwarding off: the connection gets no answer, and the cause names forwarding")
    func forwardingOff() throws {
        let harness = Harness()
        let lab = try harness.writeLab("97-nat-forwarding.md", """
            ---
            id: 97-nat-forwarding
            title: NAT without forwarding
            ---
            ## Step 1: Forget ip_forward
            \(Self.network(outRoute: false, forwarding: false))\(Self.nat("172.17.0.0/16"))```expect
            seen-from 203.0.113.1:80 from c1 == 203.0.113.2
            seen-from 203.0.113.9:80 from c1 == 203.0.113.2
            ```

            """)
        let result = try harness.boxlab("run", lab, "--trust")
        #expect(result.status == 1, "\(result.output)")
        harness.expectLines([
            "found: connect from c1: ETIMEDOUT",
            "cause: no answer within a second: is forwarding on where the packets are routed (sysctl net.ipv4.ip_forward=1)",
            "found: no namespace of the session has the address 203.0.113.9",
        ], in: result.stdout)
        harness.expectNothingLeft()
    }
}
