import Foundation
import Testing

/// What a course collects: the REPL records hints, failed checks and passed steps, and
/// `boxlab progress` shows them (--json: the document docs/progress.schema.json describes).
@Suite(.enabled(if: Harness.isRoot, "needs root: the REPL's sandbox"))
struct ProgressTests {
    @Test("an exercise attempt records its hint and its failed checks; a guided step its pass; boxlab progress shows both")
    func recorded() throws {
        let harness = Harness()
        let exercise = try harness.boxlab("02-overlayfs", "--mode", "exercise", stdin: "hint\ncheck\nquit\n")
        #expect(exercise.status == 0, "\(exercise.output)")
        let guided = try harness.boxlab("04-veth", "--mode", "guided", stdin: "next\nquit\n")
        #expect(guided.status == 0, "\(guided.output)")

        let json = try harness.boxlab("progress", "--json")
        #expect(json.status == 0, "\(json.output)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(document["version"] as? Int == 1)
        let labs = try #require(document["labs"] as? [String: [String: Any]])
        let overlay = try #require((labs["02-overlayfs"]?["steps"] as? [String: [String: Any]])?["1"])
        #expect(overlay["hints"] as? Int == 1 && overlay["failedAttempts"] as? Int == 1, "\(overlay)")
        #expect((overlay["failedChecks"] as? [String: Int])?.keys.contains { $0.contains("lower") } == true, "\(overlay)")
        #expect(labs["02-overlayfs"]?["mode"] as? String == "exercise")
        #expect(labs["04-veth"]?["completed"] as? [Int] == [1], "\(labs)")
        #expect(((labs["04-veth"]?["steps"] as? [String: [String: Any]])?["1"]?["passed"] as? String)?.hasSuffix("Z") == true)
        #expect(document["lastLab"] as? String == "04-veth")

        let text = try harness.boxlab("progress", "02-overlayfs")
        #expect(text.stdout.hasPrefix("02-overlayfs: 0/8 steps done (exercise mode)\n"), "\(text.stdout)")
        #expect(text.stdout.contains("step 1 Make the layers: not done, seen ") && text.stdout.contains("1 hint, 1 failed check"), "\(text.stdout)")
        harness.expectNothingLeft()
    }
}
