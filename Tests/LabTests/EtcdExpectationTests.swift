import Etcd
@testable import Lab
import Testing

@Suite struct EtcdExpectationTests {
    @Test func theThreeForms() throws {
        let value = try ExpectationParser.parse(#"etcd /coreos.com/network/config == '{"Network":"172.18.0.0/16","Backend":{"Type":"vxlan"}}' in node1"#)
        guard case .etcd(.value(let key, let json, let namespace)) = value else { Issue.record("\(value)"); return }
        #expect(key == "/coreos.com/network/config" && namespace == "node1")
        #expect(json.description == #"{"Backend":{"Type":"vxlan"},"Network":"172.18.0.0/16"}"#)
        #expect(try ExpectationParser.parse("etcd /coreos.com/network/subnets/ has 2 keys in node1")
            == .etcd(.count(prefix: "/coreos.com/network/subnets/", keys: 2, namespace: "node1")))
        #expect(try ExpectationParser.parse("etcd /coreos.com/network/ leases disjoint within config")
            == .etcd(.leasesDisjoint(prefix: "/coreos.com/network", namespace: "host")))
    }

    @Test func badLinesSayWhatWasExpected() {
        let cases: [(String, String)] = [
            (#"etcd /k == {"a":1} in node1"#, "'{a:1}' is not JSON (quote the whole value with single quotes, so that its double quotes stay)"),
            ("etcd /k has two keys", "after has, expected a number and keys"),
            ("etcd /k leases disjoint", "expected leases disjoint within config"),
            ("etcd /k", "after /k, expected == JSON, has N keys, or leases disjoint within config"),
            ("etcd", "etcd needs a key"),
        ]
        for (line, message) in cases {
            #expect(throws: ExpectationError.self) { try ExpectationParser.parse(line) }
            do { _ = try ExpectationParser.parse(line) } catch { #expect(error.message == message, "\(line)") }
        }
    }
}
