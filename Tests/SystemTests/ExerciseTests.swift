import Foundation
import Glibc
import Testing

/// Exercise mode decides what still holds from the lab's reference run: a learner doing the
/// lab's own work passes every step, one who undoes a step is told which, one ahead is moved on.
@Suite(.enabled(if: Harness.isRoot, "needs root: sandboxes"))
struct ExerciseTests {
    /// Step 3 rewrites the file step 1 checked: its reference run retires step 1's expectation,
    /// and step 2's stands to the end.
    static let lab = """
        ---
        id: 95-undo
        title: A step that undoes an earlier one
        ---
        ## Step 1: First
        ```run
        echo one > a
        ```
        ```expect
        file a == "one"
        ```
        ## Step 2: Second
        ```run
        echo two > b
        ```
        ```expect
        file b == "two"
        ```
        ## Step 3: Rewrite the first
        ```run
        echo three > a
        ```
        ```expect
        file a == "three"
        ```
        """

    @Test("the reference run retires what a later step undoes on purpose, and a learner doing the work passes every step")
    func laterStepUndoes() throws {
        let harness = Harness()
        let path = try harness.writeLab("95-undo.md", ExerciseTests.lab)
        let standing = try harness.boxlab("standing", path)
        #expect(standing.status == 0, "\(standing.output)")
        #expect(standing.stdout.contains("step 3 retires step 1's `file a == \"one\"` (\(path):10)"), "\(standing.stdout)")
        #expect(standing.stdout.contains("1 of 3 expectations retired"), "\(standing.stdout)")

        let repl = try harness.boxlab(path, "--mode", "exercise", "--restart",
                                      stdin: "echo one > a\nnext\necho two > b\nnext\necho three > a\nnext\nquit\n")
        #expect(repl.status == 0, "\(repl.output)")
        #expect(repl.stdout.contains("✓ 95-undo complete"), "\(repl.stdout)")
        #expect(!repl.stdout.contains("no longer holds"), "\(repl.stdout)")
        #expect(!repl.stdout.contains("not re-checked"), "\(repl.stdout)")
        harness.expectNothingLeft()
    }

    @Test("a learner who undoes an earlier step is told which step they broke")
    func learnerUndoes() throws {
        let harness = Harness()
        let path = try harness.writeLab("95-undo.md", ExerciseTests.lab)
        // Step 1 done, then undone while doing step 2: step 1's expectation still stands at 2.
        var repl = try harness.boxlab(path, "--mode", "exercise", "--restart",
                                      stdin: "echo one > a\nnext\nrm a\necho two > b\nnext\nquit\n")
        #expect(repl.status == 0, "\(repl.output)")
        #expect(repl.stdout.contains("step 1 (First) no longer holds:\n✗ a reads \"one\""), "\(repl.stdout)")
        #expect(repl.stdout.contains("✗ step 2 does not pass yet"), "\(repl.stdout)")
        #expect(!repl.stdout.contains("95-undo 3/3>"), "the learner stays at step 2: \(repl.stdout)")
        // At step 3 step 1's is retired, but step 2's stands: removing b is caught there.
        repl = try harness.boxlab(path, "--mode", "exercise", "--restart",
                                  stdin: "echo one > a\nnext\necho two > b\nnext\nrm b\necho three > a\nnext\nquit\n")
        #expect(repl.stdout.contains("step 2 (Second) no longer holds"), "\(repl.stdout)")
        #expect(!repl.stdout.contains("step 1 (First) no longer holds"), "\(repl.stdout)")
        #expect(!repl.stdout.contains("95-undo complete"), "\(repl.stdout)")
        harness.expectNothingLeft()
    }

    @Test("a learner ahead is moved to the step after the furthest one the kernel shows, in the REPL and by check")
    func learnerAhead() throws {
        let harness = Harness()
        let path = try harness.writeLab("95-undo.md", ExerciseTests.lab)
        let result = try harness.boxlab(path, "--mode", "exercise", "--restart",
                                        stdin: "echo one > a\necho two > b\ncheck\nsteps\nquit\n")
        #expect(result.stdout.contains("✓ steps 1–2 done: the kernel shows step 2's state; step 3 is next"), "\(result.stdout)")
        #expect(result.stdout.contains("▸ 3. Rewrite the first"), "\(result.stdout)")

        let repl = try SessionTests.OpenRepl(harness, [path, "--mode", "exercise", "--restart"])
        #expect(repl.waitFor("95-undo 1/3>", harness))
        let shell = try harness.boxlab("shell", "-c", "echo one > a && echo two > b && echo three > a")
        #expect(shell.status == 0, "\(shell.output)")
        let check = try harness.boxlab("check", path, "--json")
        #expect(check.status == 0, "\(check.output)")
        let outcome = try JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: Any]
        #expect(outcome?["done"] as? Int == 3, "\(check.stdout)")
        #expect(outcome?["step"] as? Int == 3, "\(check.stdout)")
        let text = try harness.boxlab("check", path)
        #expect(text.stdout.contains("✓ steps 1–3 done: the kernel shows step 3's state; the lab is complete"), "\(text.output)")
        let progress = try String(contentsOfFile: harness.stateDir + "/progress.json", encoding: .utf8)
        #expect(progress.contains("\"current\" : 4"), "check records the progress: \(progress)")
        let ended = repl.quit()
        #expect(ended.status == 0, "\(ended.output)")
        harness.expectNothingLeft()
    }

    @Test("verify fails a lab whose kept standing set disagrees with its reference run")
    func verifyCatchesDisagreement() throws {
        let harness = Harness()
        let path = try harness.writeLab("95-undo.md", ExerciseTests.lab)
        var verify = try harness.boxlab("verify", path)
        #expect(verify.status == 0, "\(verify.output)")
        #expect(verify.stdout.contains("1 of them retired by a later step"), "\(verify.stdout)")
        let folder = harness.stateDir + "/standing"
        let files = try FileManager.default.contentsOfDirectory(atPath: folder)
        #expect(files.count == 1 && files[0].hasPrefix("95-undo."), "\(files)")
        // The kept set says step 3 retires nothing: this run retires step 1's expectation.
        let kept = folder + "/" + files[0]
        var document = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: kept))) as? [String: Any] ?? [:]
        document["retirements"] = [[String: Any]]()
        try JSONSerialization.data(withJSONObject: document).write(to: URL(fileURLWithPath: kept))
        verify = try harness.boxlab("verify", path)
        #expect(verify.status == 1, "\(verify.output)")
        #expect(verify.stdout.contains("standing set: step 3 retires step 1's `file a == \"one\"` (\(path):10) in this run only: two reference runs of the same lab disagree"), "\(verify.stdout)")
        harness.expectNothingLeft()
    }
}
