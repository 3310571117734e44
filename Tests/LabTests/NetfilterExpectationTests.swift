import Kernel
import Testing
@testable import Lab

/// The firewall and NAT expectation forms, and their refusals naming the form.
struct NetfilterExpectationTests {
    @Test func forms() throws {
        #expect(try ExpectationParser.parse("nat masquerade from 172.17.0.0/16 out !docker0 in fw") == .netfilter(NetfilterExpectation(
            rule: .masquerade(from: IPPrefix("172.17.0.0/16")!, out: .init("docker0", negated: true)), namespace: "fw")))
        #expect(try ExpectationParser.parse("nat masquerade from 10.0.0.0/8") == .netfilter(NetfilterExpectation(
            rule: .masquerade(from: IPPrefix("10.0.0.0/8")!, out: nil), namespace: NetworkPlaces.host)))
        #expect(try ExpectationParser.parse("nat dnat tcp 8080 to 172.17.0.2:80") == .netfilter(NetfilterExpectation(
            rule: .dnat(transport: 6, port: 8080, to: IPAddress("172.17.0.2")!, toPort: 80), namespace: NetworkPlaces.host)))
        #expect(try ExpectationParser.parse("nat dnat udp 53 to 172.17.0.4 in fw") == .netfilter(NetfilterExpectation(
            rule: .dnat(transport: 17, port: 53, to: IPAddress("172.17.0.4")!, toPort: nil), namespace: "fw")))
        let policy = try ExpectationParser.parse("chain filter FORWARD policy drop in fw")
        #expect(policy == .netfilter(NetfilterExpectation(rule: .policy(table: "filter", chain: "FORWARD", .drop), namespace: "fw")))
        #expect(policy.subject == "chain fw:filter:FORWARD")
        #expect(try ExpectationParser.parse("not nat masquerade from 172.17.0.0/16") == .not(.netfilter(NetfilterExpectation(
            rule: .masquerade(from: IPPrefix("172.17.0.0/16")!, out: nil), namespace: NetworkPlaces.host))))
    }

    @Test(arguments: [
        ("nat masquerade 172.17.0.0/16", "expected nat masquerade from ADDRESS/PREFIX, e.g. from 172.17.0.0/16 (expected: nat masquerade from ADDRESS/PREFIX [out [!]INTERFACE] [in NS])"),
        ("nat masquerade from 172.17.0.1", "expected nat masquerade from ADDRESS/PREFIX"),
        ("nat masquerade from 172.17.0.0/16 out", "after the prefix, expected out [!]INTERFACE"),
        ("nat dnat sctp 80 to 10.0.0.1", "'sctp' is not tcp or udp (expected: nat dnat tcp|udp PORT to ADDRESS[:PORT] [in NS])"),
        ("nat dnat tcp 0 to 10.0.0.1", "'0' is not a port (1-65535)"),
        ("nat dnat tcp 80 to 10.0.0.1:x", "'10.0.0.1:x' is not ADDRESS[:PORT]"),
        ("nat snat from x", "nat takes masquerade or dnat"),
        ("chain filter FORWARD policy maybe", "'maybe' is not a policy: accept or drop (expected: chain TABLE CHAIN policy accept|drop [in NS])"),
        ("chain filter FORWARD drop", "expected chain TABLE CHAIN policy accept|drop"),
        ("nat masquerade from 172.17.0.0/16 in", "'in' needs a namespace name"),
    ])
    func refusals(line: String, message: String) {
        #expect(throws: ExpectationError.self) { try ExpectationParser.parse(line) }
        do { _ = try ExpectationParser.parse(line) } catch {
            #expect(error.description.contains(message), "\(line): \(error.description)")
        }
    }
}
