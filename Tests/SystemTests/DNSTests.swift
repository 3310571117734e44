import Foundation
import Testing

/// boxlab-resolver in a namespace of its own inside the sandbox, asked by BoxLab's dig, by
/// busybox nslookup and by the resolve expectation.
@Suite(.enabled(if: Harness.isRoot, "needs root: network namespaces"))
struct DNSTests {
    /// The resolver built with this test, beside boxlab.
    static let resolver = URL(fileURLWithPath: Harness.binary).deletingLastPathComponent().appendingPathComponent("boxlab-resolver").path

    @Test("answers from its records file, re-read when it changes; REFUSED for unknown names; ends with its owner")
    func resolverInANamespace() throws {
        let harness = Harness()
        let lab = try harness.writeLab("95-dns.md", """
            ---
            id: 95-dns
            title: DNS
            ---
            ## Step 1: A resolver on 127.0.0.11
            ```run
            ip netns add dns
            ip -n dns link set lo up
            echo "db 172.18.0.2" > records
            ip netns exec dns busybox sleep 1000 &
            owner=$!
            ip netns exec dns \(Self.resolver) --records records --owner $owner &
            resolver=$!
            sleep 1
            ip netns exec dns dig db
            ip netns exec dns dig @127.0.0.11 nope
            ip netns exec dns busybox nslookup db 127.0.0.11
            ```
            ```expect
            resolve db from dns == 172.18.0.2
            resolve DB. from dns
            not resolve nope from dns
            process $resolver running
            resolve localhost from $owner == 127.0.0.1
            not resolve db from $owner
            ```
            ## Step 2: The records change
            ```run
            echo "db 172.18.0.9" > records
            echo "web 172.18.0.3" >> records
            ip netns exec dns dig db
            ```
            ```expect
            resolve db from dns == 172.18.0.9
            resolve web from dns == 172.18.0.3
            ```
            ## Step 3: The owner ends
            ```run
            kill $owner
            wait $owner
            sleep 2
            ```
            ```expect
            process $resolver ended
            not resolve db from dns
            ```
            """)
        let result = try harness.boxlab("run", lab)
        #expect(result.status == 0, "\(result.output)")
        harness.expectLines([
            "  sendto(5, {id=", "flags=rd, question=[db. IN A]}, 20, 0, {sin_family=AF_INET, sin_port=htons(53), sin_addr=127.0.0.11}, 16) = 20",
            "flags=qr aa rd, status=NOERROR, question=[db. IN A], answer=[db. 600 IN A 172.18.0.2]}, 4096, 0,",
            ";; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: ",
            ";; ->>HEADER<<- opcode: QUERY, status: REFUSED, id: ",
            "db.\t\t600\tIN\tA\t172.18.0.2",
            "db.\t\t600\tIN\tA\t172.18.0.9",
            "Name:\tdb\nAddress: 172.18.0.2",
            "✓ db resolves to 172.18.0.2 from dns: db → 172.18.0.2 from 127.0.0.11 (Docker's embedded resolver)",
            "✓ nope does not resolve from dns",
            // A process reads its own /etc/hosts (here the sandbox's, the machine's); its
            // resolv.conf's nameserver is the machine's, which BoxLab does not ask.
            "✓ localhost resolves to 127.0.0.1 from $owner: localhost → 127.0.0.1 from /etc/hosts",
            "✓ db does not resolve from $owner",
            "✓ web resolves to 172.18.0.3 from dns: web → 172.18.0.3 from 127.0.0.11 (Docker's embedded resolver)",
        ], in: result.stdout)
        harness.expectNothingLeft()
    }

    @Test("a failing resolve says why: nothing listens on 127.0.0.11 in the namespace")
    func failures() throws {
        let harness = Harness()
        let lab = try harness.writeLab("94-dns.md", """
            ---
            id: 94-dns
            title: DNS
            ---
            ## Step 1: No resolver
            ```run
            ip netns add dns
            ip -n dns link set lo up
            ```
            ```expect
            resolve db from dns
            ```
            """)
        let result = try harness.boxlab("run", lab)
        #expect(result.status != 0)
        harness.expectLines([
            "✗ db resolves from dns",
            "found: no answer from 127.0.0.11 (Docker's embedded resolver) within 1 s",
        ], in: result.stdout)
        harness.expectNothingLeft()
    }
}
