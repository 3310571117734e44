import Foundation
@testable import Lab
import Testing

/// A failing `not X` says what holds and how to undo it.
@Suite("Failing not")
struct UndoingTests {
    @Test("the cause is the inverse of the command that makes the expectation true")
    func undoing() throws {
        func cause(_ line: String) throws -> String? { try ExpectationParser.parse(line).undoing }
        #expect(try cause("netns blue") == "`ip netns del blue` removes it")
        #expect(try cause("link eth0 in red")?.hasPrefix("`ip -n red link del eth0` removes it; a veth goes with its peer") == true)
        #expect(try cause("link eth0 in $box")?.hasPrefix("`nsenter -t $box -n ip link del eth0` removes it") == true)
        #expect(try cause("link veth-c3")?.hasPrefix("`ip link del veth-c3` removes it") == true)
        #expect(try cause("address 10.0.0.1/24 on eth0 in red") == "`ip -n red addr del 10.0.0.1/24 dev eth0` removes it")
        #expect(try cause("route default in $none") == "`nsenter -t $none -n ip route del default` removes it")
        #expect(try cause("mount scratch in $c3") == "`umount scratch` removes it")
        #expect(try cause("cgroup demo pids.events max >= 1") == nil)
    }

    @Test("a failing not names what holds and how to undo it; a passing one says nothing more")
    func failingNot() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("undoing-\(getpid())").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        try "left\n".write(toFile: root + "/kept", atomically: true, encoding: .utf8)
        let evaluator = Evaluator(workspace: Workspace(root: root))
        let failing = evaluator.check(try ExpectationParser.parse("not file kept"))
        #expect(!failing.passed)
        #expect(failing.found == "kept is a regular file reading \"left\"")
        #expect(failing.cause == "`rm kept` removes it")
        let passing = evaluator.check(try ExpectationParser.parse("not file gone"))
        #expect(passing.passed && passing.found == nil && passing.cause == nil)
    }
}
