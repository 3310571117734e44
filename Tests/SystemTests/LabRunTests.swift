import Foundation
import Lab
import Testing

/// Every lab runs end to end in the sandbox and on the host, matches its golden transcript,
/// means what it checks, and leaves nothing behind.
@Suite(.enabled(if: Harness.isRoot, "needs root: mounts and namespaces"))
struct LabRunTests {
    @Test("runs in the sandbox and matches its golden transcript", arguments: Harness.labIDs())
    func transcript(lab: String) throws {
        let harness = Harness()
        let result = try harness.boxlab("record", lab, "--stdout")
        #expect(result.status == 0, "\(result.output)")
        // A lab with blocks for one kind of machine has a transcript per kind (09-cgroups.cgroup-v1).
        let name = try LabCatalog(directory: Harness.repository.appendingPathComponent("labs").path).load(lab).transcriptName(takingHostBlocks: result.stderr.contains("the sandbox is not a boundary"))
        let golden = try String(contentsOf: Harness.repository.appendingPathComponent("transcripts/\(name).txt"), encoding: .utf8)
        if let difference = firstDifference(golden, result.stdout) {
            Issue.record("\(lab) differs from transcripts/\(name).txt (run `boxlab record \(lab)` if the change is intended):\n\(difference)")
        }
        harness.expectNothingLeft()
    }

    /// One at a time: "the host" is one namespace for all of them, and two labs' docker0 would
    /// collide. Guided, in the REPL, in the same turn: run beside the other suites' labs, it
    /// made a mount diff race with their sandboxes more likely.
    @Test("runs on the host, and guided in the REPL (each step at `next`), and leaves nothing behind", .serialized, arguments: Harness.labIDs())
    func hostAndGuided(lab: String) throws {
        let harness = Harness()
        let result = try harness.boxlab("run", lab, "--host")
        #expect(result.status == 0, "\(result.output)")
        #expect(result.stdout.contains("✓ all"))
        harness.expectNothingLeft()
        let guided = try harness.boxlab(lab, "--restart", stdin: String(repeating: "next\n", count: 24) + "quit\n")
        #expect(guided.status == 0, "\(guided.output)")
        #expect(guided.stdout.contains("✓ \(lab) complete"), "\(guided.stdout.suffix(3000))")
        #expect(!guided.stdout.contains("✗"), "\(guided.stdout)")
        harness.expectNothingLeft()
    }

    @Test("every expectation fails before its step and passes after it", arguments: Harness.labIDs())
    func verify(lab: String) throws {
        let harness = Harness()
        let result = try harness.boxlab("verify", lab)
        #expect(result.status == 0, "\(result.output)")
        harness.expectNothingLeft()
    }

    @Test("--json reports every step and check")
    func json() throws {
        let harness = Harness()
        let result = try harness.boxlab("run", "02-overlayfs", "--json")
        #expect(result.status == 0, "\(result.output)")
        let report = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect(report?["passed"] as? Bool == true)
        let steps = report?["steps"] as? [[String: Any]] ?? []
        #expect(steps.count == 8)
        #expect(steps.allSatisfy { !(($0["checks"] as? [Any]) ?? []).isEmpty })
    }
}

/// The first line where two transcripts differ, with a little context.
func firstDifference(_ expected: String, _ actual: String) -> String? {
    let want = expected.split(separator: "\n", omittingEmptySubsequences: false)
    let have = actual.split(separator: "\n", omittingEmptySubsequences: false)
    for index in 0..<max(want.count, have.count) {
        let a = index < want.count ? String(want[index]) : "<end>"
        let b = index < have.count ? String(have[index]) : "<end>"
        if a != b {
            // The lines after it too: a change block shows its first line only otherwise.
            let following = have.dropFirst(index + 1).prefix(6).map { "\n  actual:   \($0)" }.joined()
            return "line \(index + 1):\n  expected: \(a)\n  actual:   \(b)" + following
        }
    }
    return nil
}
