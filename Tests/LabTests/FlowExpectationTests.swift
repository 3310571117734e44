import Kernel
import Testing
@testable import Lab

/// `seen-from` and `conntrack … translated to …`: their forms, and what bad lines say.
struct FlowExpectationTests {
    @Test func seenFrom() throws {
        #expect(try ExpectationParser.parse("seen-from 203.0.113.1:80 from c1 == 203.0.113.2")
            == .flow(.seenFrom(address: "203.0.113.1", port: 80, from: "c1", source: "203.0.113.2")))
        let not = try ExpectationParser.parse("not seen-from 203.0.113.1:80 from c1 == 172.17.0.2")
        #expect(not == .not(.flow(.seenFrom(address: "203.0.113.1", port: 80, from: "c1", source: "172.17.0.2"))))
        #expect(not.subject == "seen-from c1->203.0.113.1:80")
    }

    @Test func translated() throws {
        #expect(try ExpectationParser.parse("conntrack tcp 203.0.113.1:80 from c1 translated to 203.0.113.2")
            == .flow(.translated(protocolName: "tcp", address: "203.0.113.1", port: 80, from: "c1", to: "203.0.113.2", toPort: nil, namespace: "host")))
        #expect(try ExpectationParser.parse("conntrack udp 203.0.113.2:8080 from out translated to 172.17.0.2:80 in router")
            == .flow(.translated(protocolName: "udp", address: "203.0.113.2", port: 8080, from: "out", to: "172.17.0.2", toPort: 80, namespace: "router")))
    }

    @Test("bad flow expectations say the form", arguments: [
        ("seen-from 203.0.113.1 from c1 == 1.2.3.4", "'203.0.113.1' is not ADDRESS:PORT (expected: seen-from ADDRESS:PORT from NS == SOURCE)"),
        ("seen-from 203.0.113.1:80 to c1 == 1.2.3.4", "after 203.0.113.1:80, expected from NS (or from host) (expected: seen-from ADDRESS:PORT from NS == SOURCE)"),
        ("seen-from 203.0.113.1:80 from c1 == c2", "after from c1, expected == SOURCE (an address) (expected: seen-from ADDRESS:PORT from NS == SOURCE)"),
        ("seen-from 203.0.113.1:0 from c1 == 1.2.3.4", "'203.0.113.1:0' is not ADDRESS:PORT (expected: seen-from ADDRESS:PORT from NS == SOURCE)"),
        ("conntrack 203.0.113.1:80 from c1 translated to 1.2.3.4", "conntrack expectations name the protocol first: tcp or udp (expected: conntrack tcp|udp ADDRESS:PORT from NS translated to ADDRESS[:PORT] [in NS])"),
        ("conntrack tcp 203.0.113.1:80 from c1 to 1.2.3.4", "after from c1, expected translated to ADDRESS[:PORT] [in NS] (expected: conntrack tcp|udp ADDRESS:PORT from NS translated to ADDRESS[:PORT] [in NS])"),
        ("conntrack tcp 203.0.113.1:80 from c1 translated to 1.2.3.4:x", "after from c1, expected translated to ADDRESS[:PORT] [in NS] (expected: conntrack tcp|udp ADDRESS:PORT from NS translated to ADDRESS[:PORT] [in NS])"),
        ("conntrack tcp fd00::1:80 from c1 translated to 1.2.3.4", "'fd00::1:80' is not ADDRESS:PORT (expected: conntrack tcp|udp ADDRESS:PORT from NS translated to ADDRESS[:PORT] [in NS])"),
    ])
    func bad(line: String, message: String) {
        do {
            _ = try ExpectationParser.parse(line)
            Issue.record("\(line) was accepted")
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func normaliserHidesWhatChangesRunToRun() {
        let line = "tcp      6 119 TIME_WAIT src=172.17.0.2 dst=203.0.113.1 sport=40312 dport=80 src=203.0.113.1 dst=203.0.113.2 sport=80 dport=40312 [ASSURED] mark=0 use=1"
        #expect(TranscriptNormalizer.normalize(line) == "tcp      6 <s> <closing> src=172.17.0.2 dst=203.0.113.1 sport=<port> dport=80 src=203.0.113.1 dst=203.0.113.2 sport=80 dport=<port> [ASSURED] mark=0 use=1")
        #expect(TranscriptNormalizer.normalize("+ flow tcp 172.17.0.2:40312 → 203.0.113.1:80 (reply 203.0.113.1:80 → 203.0.113.2:40312: SNAT)")
            == "+ flow tcp 172.17.0.2:<port> → 203.0.113.1:80 (reply 203.0.113.1:80 → 203.0.113.2:<port>: SNAT)")
        #expect(TranscriptNormalizer.normalize("status=SEEN_REPLY timeout=29 mark=0 id=4039388482") == "status=SEEN_REPLY timeout=<s> mark=0 id=<id>")
        // A flow listed just after its client ended is at some point of its close.
        #expect(TranscriptNormalizer.normalize("tcp      6 117 FIN_WAIT src=172.17.0.2") == "tcp      6 <s> <closing> src=172.17.0.2")
        #expect(TranscriptNormalizer.normalize("IPCTNL_MSG_CT_NEW tcp FIN_WAIT orig=") == "IPCTNL_MSG_CT_NEW tcp <closing> orig=")
        #expect(TranscriptNormalizer.normalize("IPCTNL_MSG_CT_NEW tcp ESTABLISHED orig=") == "IPCTNL_MSG_CT_NEW tcp ESTABLISHED orig=")
        // Ports below the ephemeral range are the lab's own, and stay.
        #expect(TranscriptNormalizer.normalize("203.0.113.2:8080 sport=32767") == "203.0.113.2:8080 sport=32767")
        // One traced reply's flows come in the kernel's hash order: they are put in order.
        let second = "IPCTNL_MSG_CT_NEW tcp TIME_WAIT orig={src=172.17.0.2 dst=203.0.113.2 sport=40001 dport=8000} id=7"
        let first = "IPCTNL_MSG_CT_NEW tcp TIME_WAIT orig={src=172.17.0.2 dst=203.0.113.2 sport=40002 dport=80} id=9"
        #expect(TranscriptNormalizer.normalize("  recvmsg(3, [\(first), \(second)], 0) = 424")
            == TranscriptNormalizer.normalize("  recvmsg(3, [\(second), \(first)], 0) = 424"))
        #expect(TranscriptNormalizer.normalize("  recvmsg(3, [\(second), \(first)], 0) = 424").contains("dport=8000} id=7, IPCTNL_MSG_CT_NEW"))
    }
}
