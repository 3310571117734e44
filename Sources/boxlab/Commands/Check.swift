import ArgumentParser
import Lab

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a step's expectations against the kernel's state now, changing nothing.",
        discussion: """
        Joins the running session's sandbox (or checks the host with --host), so the work may \
        be done anywhere: in the REPL, in `boxlab shell`, with any tool. Earlier steps' \
        expectations that no later step overrides are checked too. Exits 1 when any fails.
        """
    )

    @Argument(help: "The lab: id, number or name.") var lab: String
    @Option(help: "The step to check.") var step: Int
    @Flag(help: "Check the real host instead of the session's sandbox.") var host = false
    @Flag(help: .trust) var trust = false
    @Flag(help: "Print machine-readable results.") var json = false
    @Option(name: .customLong("set"), help: ArgumentHelp("Name a process you started in a shell, for $NAME in expectations (c1=$!).", valueName: "NAME=PID"))
    var assignments: [String] = []

    func run() throws {
        try requireRoot()
        let lab = try loadLab(self.lab)
        guard let step = lab.steps.first(where: { $0.number == step }) else {
            throw failure("\(lab.id) has steps 1 to \(lab.steps.count), not \(self.step)")
        }
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
        let outcome = CheckOutcome.evaluate(session, step: step)
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
    var passed: Bool { (checks + earlier).allSatisfy(\.passed) }

    static func evaluate(_ session: Session, step: Step) -> CheckOutcome {
        let console = session.console
        console.line("step \(step.number): \(step.title)", .heading)
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
}
