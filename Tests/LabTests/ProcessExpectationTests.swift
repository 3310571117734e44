import Kernel
@testable import Lab
import Testing

@Suite("Process expectations")
struct ProcessExpectationTests {
    @Test("each form parses")
    func parses() throws {
        #expect(try ExpectationParser.parse("ns uts $c1 != host") == .process(.namespace(kind: .uts, first: "$c1", second: "host", same: false)))
        #expect(try ExpectationParser.parse("ns mount $c1 == $c2") == .process(.namespace(kind: .mnt, first: "$c1", second: "$c2", same: true)))
        #expect(try ExpectationParser.parse("nspid $c2 == 1") == .process(.namespacePid(process: "$c2", pid: 1)))
        #expect(try ExpectationParser.parse(#"hostname $c1 == "box1""#) == .process(.hostname(process: "$c1", name: "box1", equal: true)))
        #expect(try ExpectationParser.parse(#"uid-map $c5 == "0  0 1""#) == .process(.userMap(process: "$c5", map: "0 0 1")))
        #expect(try ExpectationParser.parse("process $c2 ended") == .process(.state(process: "$c2", running: false)))
        #expect(try ExpectationParser.parse("mount scratch fstype=tmpfs in $c3")
                == .within(process: "$c3", .mount(path: "scratch", fstype: "tmpfs", propagation: nil, readOnly: nil, options: [])))
        #expect(try ExpectationParser.parse("not mount scratch in $c3")
                == .not(.within(process: "$c3", .mount(path: "scratch", fstype: nil, propagation: nil, readOnly: nil, options: []))))
    }

    @Test("mistakes name the form", arguments: [
        ("ns bogus $c1 == host", "unknown namespace kind 'bogus': cgroup, ipc, mnt, net, pid, time, user, uts (expected: ns KIND PROC ==|!= PROC)"),
        ("ns uts $c1 = host", "ns takes a kind, a process, == or != and a process (expected: ns KIND PROC ==|!= PROC)"),
        ("nspid $c1 == one", "nspid takes a process, == and a number (expected: nspid PROC == N)"),
        ("process $c1 sleeping", "process takes a process and running or ended (expected: process PROC running|ended)"),
    ])
    func mistakes(line: String, message: String) {
        do {
            _ = try ExpectationParser.parse(line)
            Issue.record("\(line) must not parse")
        } catch {
            #expect(error.description == message)
        }
    }

    @Test("an unset variable fails the check and says how to set it")
    func unset() {
        let evaluator = Evaluator(workspace: Workspace(root: "/nonexistent"), variables: Variables(run: RunDirectory(path: "/nonexistent")))
        let result = evaluator.check(.process(.state(process: "$c1", running: true)))
        #expect(!result.passed)
        #expect(result.found == "$c1 is not set")
        #expect(result.cause == "start the program with `… &`, then name it: c1=$!")
    }
}
