import Foundation
import Testing

/// BoxLab's `iptables` and `nft` for real, in a namespace the lab makes inside the sandbox
/// (never the machine's): what BoxLab adds, the real iptables-nft and nft show; what they add,
/// BoxLab lists and its expectations judge by meaning; near-misses fail naming what they found.
@Suite(.enabled(if: Harness.isRoot, "needs root: namespaces and nf_tables"))
struct IptablesTests {
    static let lab = """
        ---
        id: 93-nat
        title: NAT by hand
        ---
        ## Step 1: BoxLab's rules, read by iptables-nft and nft; theirs, read by BoxLab

        ```run
        ip netns add fw
        ip netns exec fw iptables -t nat -A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE
        ip netns exec fw iptables -t nat -N DOCKER
        ip netns exec fw iptables -t nat -A PREROUTING -j DOCKER
        ip netns exec fw iptables -t nat -A DOCKER -p tcp --dport 8080 -j DNAT --to-destination 172.17.0.2:80
        ip netns exec fw iptables -P FORWARD DROP
        ip netns exec fw iptables -A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
        ip netns exec fw iptables -I FORWARD -i docker0 ! -o docker0 -j ACCEPT
        ip netns exec fw iptables -A FORWARD -s 10.0.0.1 -j RETURN
        ip netns exec fw iptables -A FORWARD -s 10.0.0.2 -j RETURN
        ip netns exec fw iptables -D FORWARD -s 10.0.0.1 -j RETURN
        ip netns exec fw iptables -I FORWARD 3 -d 10.0.0.9 -p udp --dport 53 -j DROP
        ip netns exec fw iptables -N TEMP
        ip netns exec fw iptables -A TEMP -j RETURN
        ip netns exec fw iptables -F TEMP
        ip netns exec fw iptables -X TEMP
        ```

        ```sh
        echo "== iptables-nft"; ip netns exec fw iptables-nft -t nat -S; ip netns exec fw iptables-nft -S
        echo "== nft"; ip netns exec fw nft list ruleset
        ip netns exec fw iptables-nft -t nat -A POSTROUTING -s 10.9.0.0/24 -j MASQUERADE
        ip netns exec fw nft add rule ip nat DOCKER tcp dport 9090 dnat to 172.17.0.3:90
        ip netns exec fw nft add table ip extra
        ip netns exec fw nft add chain ip extra post '{ type nat hook postrouting priority srcnat; policy accept; }'
        ip netns exec fw nft add rule ip extra post ip saddr 10.7.0.0/16 oifname != "br0" masquerade
        ```

        ```run
        ip netns exec fw iptables -t nat -S
        ip netns exec fw nft add rule ip nat DOCKER udp dport 53 dnat to 172.17.0.4
        ip netns exec fw iptables -L FORWARD --line-numbers
        ip netns exec fw nft list chain ip nat DOCKER
        ```

        ```sh
        echo "== nft after"; ip netns exec fw nft list chain ip nat DOCKER
        ```

        ```expect
        nat masquerade from 172.17.0.0/16 out !docker0 in fw
        nat masquerade from 10.9.0.0/24 in fw
        nat masquerade from 10.7.0.0/16 out !br0 in fw
        nat dnat tcp 8080 to 172.17.0.2:80 in fw
        nat dnat tcp 9090 to 172.17.0.3:90 in fw
        nat dnat udp 53 to 172.17.0.4:53 in fw
        chain filter FORWARD policy drop in fw
        ```

        ## Step 2: Near misses

        ```expect
        nat masquerade from 172.18.0.0/16 in fw
        nat masquerade from 172.17.0.0/16 out !br0 in fw
        nat dnat tcp 8080 to 172.17.0.2:8080 in fw
        chain filter FORWARD policy accept in fw
        ```
        """

    @Test("iptables and nft interoperate with iptables-nft and nft, and expectations judge by meaning")
    func interop() throws {
        let harness = Harness()
        let lab = try harness.writeLab("93-nat.md", Self.lab)
        let result = try harness.boxlab("run", lab)
        #expect(result.status == 1, "the near misses fail: \(result.output)")
        let output = result.stdout
        harness.expectLines([
            // BoxLab's trace shows the decoded batch, as iptables-nft would send it.
            #"[NFNL_MSG_BATCH_BEGIN, NFT_MSG_NEWTABLE table=nat, NFT_MSG_NEWCHAIN table=nat chain=POSTROUTING type=nat hook=postrouting priority=100 policy=accept, NFT_MSG_NEWRULE table=nat chain=POSTROUTING [meta oifname != "docker0"] [payload ip saddr == 172.17.0.0/16] [counter] [target MASQUERADE], NFNL_MSG_BATCH_END], 0) = "#,
            // The real iptables-nft reads BoxLab's rules.
            "== iptables-nft", "-N DOCKER", "-A PREROUTING -j DOCKER",
            "-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE",
            "-A DOCKER -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.17.0.2:80",
            "-P FORWARD DROP",
            // -I, -D and -I N put the rules where iptables-nft reads them.
            """
            -A FORWARD -i docker0 ! -o docker0 -j ACCEPT
            -A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
            -A FORWARD -d 10.0.0.9/32 -p udp -m udp --dport 53 -j DROP
            -A FORWARD -s 10.0.0.2/32 -j RETURN
            """,
            "== nft", "type nat hook postrouting priority srcnat; policy accept;",
            // BoxLab reads what iptables-nft and nft added.
            "-A POSTROUTING -s 10.9.0.0/24 -j MASQUERADE",
            "-A DOCKER -p tcp -m tcp --dport 9090 -j DNAT --to-destination 172.17.0.3:90",
            // Listings: numbered for -D N, and nft's syntax for every tool's rules.
            "num  target     prot opt source               destination",
            "3    DROP       udp  --  0.0.0.0/0            10.0.0.9             udp dpt:53",
            // nft reads BoxLab's nft rule.
            "== nft after", "udp dport 53 dnat to 172.17.0.4",
            "✓ 172.17.0.0/16 is masqueraded leaving by any interface but docker0 in fw",
            "✓ 10.9.0.0/24 is masqueraded in fw",
            "✓ 10.7.0.0/16 is masqueraded leaving by any interface but br0 in fw",
            "✓ tcp 8080 is forwarded (DNAT) to 172.17.0.2:80 in fw",
            "✓ tcp 9090 is forwarded (DNAT) to 172.17.0.3:90 in fw",
            "✓ udp 53 is forwarded (DNAT) to 172.17.0.4:53 in fw",
            "✓ chain FORWARD of table filter has policy drop in fw",
            // Near misses name what they found and what differs.
            "✗ 172.18.0.0/16 is masqueraded in fw",
            "found: masquerade for 172.17.0.0/16 (-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE, chain POSTROUTING of table nat)",
            "cause: the prefix differs: 172.17.0.0/16, not 172.18.0.0/16; packets from 172.18.0.0/16 leave with their private source address, and replies to it cannot find their way back (the outside has no route to 172.18.0.0/16)",
            "found: masquerade for 172.17.0.0/16 out !docker0: -A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE",
            "cause: the out-interface differs: !docker0, not !br0",
            "found: tcp 8080 is forwarded to 172.17.0.2:80 (-A DOCKER -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.17.0.2:80)",
            "cause: the destination port differs: 80, not 8080",
            "found: the policy is drop",
        ], in: output)
        // iptables-nft prints the rules BoxLab made in the forms it would have sent itself.
        // BoxLab's own nft listing (not the real nft's, which follows it) of what three tools made.
        let boxlabNft = output.components(separatedBy: "$ ip netns exec fw nft list chain ip nat DOCKER").last?.components(separatedBy: "== nft after").first ?? ""
        #expect(boxlabNft.contains("\t\ttcp dport 8080 counter packets 0 bytes 0 dnat to 172.17.0.2:80\n\t\ttcp dport 9090 dnat to 172.17.0.3:90\n\t\tudp dport 53 dnat to 172.17.0.4\n"), "\(boxlabNft)")
        let listed = output.split(separator: "== iptables-nft").last.map(String.init) ?? ""
        #expect(!listed.contains("-s 10.0.0.1/32"), "deleted: \(output)")
        #expect(!listed.contains("-N TEMP"), "flushed and deleted: \(output)")
        #expect(!output.contains("unsupported"), "\(output)")
        #expect(!output.contains("[unsupported"), "\(output)")
        harness.expectNothingLeft()
    }

    @Test("rules iptables-legacy made are not in nf_tables: a failure and a listing say they exist")
    func legacy() throws {
        let harness = Harness()
        let lab = try harness.writeLab("95-legacy.md", """
            ---
            id: 95-legacy
            title: Legacy
            ---
            ## Step 1: The old way

            ```run
            ip netns add fw
            ```

            ```sh
            ip netns exec fw iptables-legacy -t nat -A POSTROUTING -s 172.17.0.0/16 -j MASQUERADE
            ```

            ```run
            ip netns exec fw iptables -t nat -S
            ```

            ```expect
            nat masquerade from 172.17.0.0/16 in fw
            ```
            """)
        let result = try harness.boxlab("run", lab)
        #expect(result.status == 1, "\(result.output)")
        harness.expectLines([
            "# Warning: iptables-legacy tables present (nat): BoxLab does not read them",
            "✗ 172.17.0.0/16 is masqueraded in fw",
            "found: no masquerade for 172.17.0.0/16; there are no rules at all",
            "iptables-legacy tables exist in fw (nat): their rules are not in nf_tables, which BoxLab reads; use iptables-nft",
        ], in: result.stdout)
        harness.expectNothingLeft()
    }

    @Test("bad iptables and nft options are one line naming the option and the fix")
    func badOptions() throws {
        let harness = Harness()
        let cases: [(String, String)] = [
            ("iptables -A FORWARD --dport 80 -j ACCEPT", "iptables: --dport needs a protocol first\n  cause: write -p tcp --dport 80"),
            ("iptables -t nat -A POSTROUTING -j DNAT", "iptables: -j DNAT needs --to-destination ADDRESS[:PORT]"),
            ("iptables -A FORWARD -j MASQUERADE", "iptables: -j MASQUERADE works only in the nat table\n  cause: add -t nat"),
            ("iptables -A FORWARD -j NOWHERE", "iptables: there is no chain NOWHERE in table filter\n  cause: make it with iptables -t filter -N NOWHERE"),
            ("iptables -P FORWARD MAYBE", "iptables: policy MAYBE: a chain's policy is ACCEPT or DROP"),
            ("iptables -A FORWARD --frobnicate", "iptables: option --frobnicate is not one BoxLab's iptables knows"),
            ("nft add rule ip filter FORWARD tcp dport x accept", "nft: tcp dport x: a port is a number from 1 to 65535"),
            ("nft add rule ip nosuch FORWARD accept", "nft: cannot add the rule: ENOENT"),
        ]
        for (line, error) in cases {
            let lab = try harness.writeLab("94-bad.md", "---\nid: 94-bad\ntitle: Bad\n---\n## Step 1: Do\n```run\nip netns add fw\nip netns exec fw \(line)\n```\n")
            let result = try harness.boxlab("run", lab)
            #expect(result.status != 0)
            #expect(result.output.contains(error), "\(line): \(result.output)")
            #expect(!result.output.contains("Fatal error"), "\(result.output)")
        }
        harness.expectNothingLeft()
    }
}
