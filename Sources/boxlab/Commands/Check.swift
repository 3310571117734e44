import ArgumentParser
import Lab

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a step's expectations against the kernel's state now, changing nothing.",
        discussion: """
        Joins the running session's sandbox (or checks the host with --host), so the work may \
        be done anywhere: in the REPL, in `boxlab shell`, with any tool. Earlier steps' \
        expectations that still stand at the step (those the lab's reference run keeps true) \
        are checked too. Without --step, finds the furthest step whose state the kernel shows \
        and records it as your progress. Exits 1 when the step (or, without --step, your \
        current step) does not pass.
        """
    )

    @Argument(help: "The lab: id, number or name.") var lab: String
    @Option(help: "The step to check (default: the furthest step whose state the kernel shows).") var step: Int?
    @Flag(help: "Check the real host instead of the session's sandbox.") var host = false
    @Flag(help: .trust) var trust = false
    @Flag(help: "Print machine-readable results.") var json = false
    @Option(name: .customLong("set"), help: ArgumentHelp("Name a process you started in a shell, for $NAME in expectations (c1=$!).", valueName: "NAME=PID"))
    var assignments: [String] = []

    func run() throws {
        try requireRoot()
        let lab = try loadLab(self.lab)
        if let step, !lab.steps.contains(where: { $0.number == step }) {
            throw failure("\(lab.id) has steps 1 to \(lab.steps.count), not \(step)")
        }
        if !host, Sandbox(run: .default).exists() { ReferenceRun.ensure(self.lab, trust: trust) }
        let isolation = try enter(host ? .hostBeside : .joinSession)
        let workbench = Workbench(run: .default, isolation: isolation, trust: trust)
        let console = json ? Console.silent() : Console.standard()
        let session = workbench.session(lab, console: console)
        for assignment in assignments {
            let parts = assignment.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, Variables.isName(parts[0]) else {
                throw failure("--set takes NAME=VALUE, such as c1=$! or c1=4242; '\(assignment)' is not one")
            }
            if let pid = Int32(parts[1]), let refusal = session.processes.refusal(pid) { throw failure("--set \(assignment): \(refusal)") }
            try workbench.variables.set(String(parts[0]), String(parts[1]))
        }
        ReferenceRun.noteIfMissing(session)
        let outcome: CheckOutcome
        if let number = step, let step = session.step(number) {
            outcome = CheckOutcome.evaluate(session, step: step)
        } else {
            let current = min(Progress.load(from: .default).labs[lab.id]?.current ?? 1, lab.steps.count)
            outcome = CheckOutcome.progress(session, current: current)
            if let done = outcome.done { Progress.change { $0.record(lab.id, doneThrough: done, from: 1) } }
        }
        if json { printJSON(outcome) }
        if !outcome.passed { throw ExitCode(1) }
    }
}

/// A step's results and those of the earlier steps' standing expectations.
struct CheckOutcome: Codable {
    var lab: String
    var step: Int
    var checks: [CheckResult]
    var earlier: [CheckResult]
    /// Without a step named: the furthest step whose state the kernel shows (steps 1 to
    /// `done` are done), or nil when not even the learner's current step's is.
    var done: Int?
    var passed: Bool { (checks + earlier).allSatisfy(\.passed) }

    static func evaluate(_ session: Session, step: Step) -> CheckOutcome {
        let console = session.console
        console.line("step \(step.number): \(step.title)", .heading)
        _ = session.showSkipped(step)
        let checks = session.check(step)
        var earlier: [CheckResult] = []
        for (previous, lines) in session.standingExpectations(before: step.number) {
            let results = session.evaluate(lines)
            earlier += results
            if results.contains(where: { !$0.passed }) {
                console.line("step \(previous.number) (\(previous.title)) no longer holds:", .failure)
                session.show(results.filter { !$0.passed })
            }
        }
        let outcome = CheckOutcome(lab: session.lab.id, step: step.number, checks: checks, earlier: earlier)
        console.line(outcome.passed ? "✓ step \(step.number) passes" : "✗ step \(step.number) does not pass yet", outcome.passed ? .success : .failure)
        if !outcome.passed {
            Progress.change { $0.noteFailedAttempt(session.lab.id, step: step.number, failed: (checks + earlier).filter { !$0.passed }.map(\.summary)) }
        }
        return outcome
    }

    /// Where a learner who may have done several steps (or undone one) stands: the furthest
    /// step from `current` on whose state the kernel shows, checked and shown; when there is
    /// none, `current` itself, so its failures (an earlier step broken included) are shown.
    static func progress(_ session: Session, current: Int) -> CheckOutcome {
        guard let furthest = session.furthestStepShown(from: current) else {
            return evaluate(session, step: session.step(current) ?? session.lab.steps[0])
        }
        var outcome = evaluate(session, step: furthest)
        guard outcome.passed else { return outcome }
        outcome.done = furthest.number
        let steps = furthest.number == 1 ? "step 1" : "steps 1–\(furthest.number)"
        let next = furthest.number < session.lab.steps.count ? "; step \(furthest.number + 1) is next" : "; the lab is complete"
        session.console.line("✓ \(steps) done: the kernel shows step \(furthest.number)'s state\(next)", .success)
        return outcome
    }
}
