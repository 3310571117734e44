import FoundationEssentials
import Kernel
import Synchronization

/// A lab being taken: it performs steps and commands, shows their system calls and what they
/// changed, and checks the kernel's state against the steps' expectations.
public final class Session: @unchecked Sendable {
    public let lab: Lab
    public let workspace: Workspace
    public let workbench: Workbench
    public let console: Console
    /// What the lab's steps may act on besides the objects BoxLab made for it.
    public let reach: Reach
    /// Polled between commands: true when the learner pressed Ctrl-C.
    public var interrupted: () -> Bool = { false }
    /// Every expectation of the lab, parsed once: steps are checked again and again.
    private let expectations: [SourceLocation: Result<Expectation, ExpectationError>]
    /// Which earlier expectations stand at each step, from the lab's reference run (nil
    /// until one was made for this lab as it is taken here: then none is re-checked).
    public var standing: StandingSet?
    /// Told of each step shown and each thing performed (the live view), when one watches.
    public var observer: SessionObserver?
    /// Held while a step or line acts on the kernel, so a look at its state from another
    /// thread (`whenIdle`) never sees one half done.
    private let acting = Mutex(())

    public init(lab: Lab, workspace: Workspace, workbench: Workbench, console: Console) {
        self.lab = lab
        self.workspace = workspace
        self.workbench = workbench
        self.console = console
        reach = Reach(lab: lab, workbench: workbench)
        var parsed: [SourceLocation: Result<Expectation, ExpectationError>] = [:]
        for line in lab.steps.flatMap(\.expectations) {
            parsed[line.location] = Result { () throws(ExpectationError) in try ExpectationParser.parse(line.text) }
        }
        expectations = parsed
        standing = StandingSet.cached(for: lab)
    }

    /// The expectation a line of an expect block states, or why it does not parse.
    public func expectation(_ line: SourceLine) -> Result<Expectation, ExpectationError> {
        expectations[line.location] ?? Result { () throws(ExpectationError) in try ExpectationParser.parse(line.text) }
    }

    public func step(_ number: Int) -> Step? {
        lab.steps.first { $0.number == number }
    }

    // MARK: Performing

    /// Performs every action of `step`, then shows what changed and checks its expectations.
    public func perform(_ step: Step) -> StepReport {
        let report = acting.withLock { _ in performUnobserved(step) }
        observer?.ended("step \(step.number)", report: report, in: self)
        return report
    }

    private func performUnobserved(_ step: Step) -> StepReport {
        var report = StepReport(step: step.number, title: step.title, error: nil, changes: [], checks: [])
        if showSkipped(step) {
            report.skipped = step.skipped
            return report
        }
        let before = Snapshot.take(of: workspace)
        actions: for block in step.actions {
            switch block.kind {
            case .sh:
                workbench.clients.release()
                if let failure = runShell(block) { report.error = failure; break actions }
            default:
                for line in block.lines {
                    if interrupted() { report.interrupted = true; break actions }
                    if let failure = execute(line.text, location: line.location) { report.error = failure; break actions }
                }
            }
        }
        workbench.clients.release()
        report.changes = showChanges(since: before)
        if report.interrupted {
            console.line("interrupted: the step stopped between commands; everything made so far is in the ledger", .failure)
            return report
        }
        if report.error == nil { report.checks = check(step) }
        return report
    }

    /// A line typed by the learner: performed like a step's command, then what it changed.
    public func perform(_ line: String) {
        acting.withLock { _ in
            let before = Snapshot.take(of: workspace)
            execute(line)
            workbench.clients.release()
            _ = showChanges(since: before)
        }
        observer?.ended("$ " + line, report: nil, in: self)
    }

    /// `body`'s result when no step or line is acting on the kernel now; nil when one is.
    public func whenIdle<R>(_ body: () -> R) -> R? {
        acting.withLockIfAvailable { _ in body() }
    }

    /// Performs one line of the command language, showing it, its system calls and its output.
    /// Returns the error line when it failed.
    @discardableResult
    public func execute(_ line: String, location: SourceLocation? = nil) -> String? {
        console.line("$ " + line, .command)
        let outcome = CommandRunner.run(line, workspace: workspace, workbench: workbench, reach: reach, traced: !console.quiet)
        for entry in outcome.trace { console.line(workspace.display(entry.description), .trace, indent: 2) }
        console.raw(outcome.output)
        guard let error = outcome.error else { return nil }
        let prefix = location.map { "\($0): " } ?? ""
        let text = prefix + error.message
        console.line("✗ " + text, .failure)
        if let cause = error.cause { console.line("cause: " + cause, .failure, indent: 2) }
        return text
    }

    /// Runs an `sh` block with /bin/sh in the workspace; it is an external program, not
    /// BoxLab, so it is labelled and its system calls are not shown.
    public func runShell(_ block: Block) -> String? {
        if let refusal = reach.programRefusal("sh blocks", workbench) {
            let text = "\(block.location): \(refusal)"
            console.line("✗ " + text, .failure)
            return text
        }
        console.line("$ sh   # an external program, run by /bin/sh; its system calls are not traced", .command)
        for line in block.text.split(separator: "\n", omittingEmptySubsequences: false) { console.line("| " + line, .dim, indent: 2) }
        do {
            let result = try ShellProgram.run(block.text, workspace: workspace, run: workbench.run)
            console.raw(workspace.display(result.output))
            if result.termination.succeeded { return nil }
            let text = "\(block.location): sh block ended with \(result.termination)"
            console.line("✗ " + text, .failure)
            return text
        } catch {
            let text = "\(block.location): could not start /bin/sh: \(error)"
            console.line("✗ " + text, .failure)
            return text
        }
    }

    private func showChanges(since before: Snapshot) -> [String] {
        let changes = before.changes(to: Snapshot.takeAfter(before, of: workspace), in: workspace)
        if !changes.isEmpty {
            console.line("changed:", .change)
            for change in changes { console.line(change, .change, indent: 2) }
        }
        return changes
    }

    /// Says that this machine skips `step`, and why; false when it does not.
    public func showSkipped(_ step: Step) -> Bool {
        guard let reason = step.skipped else { return false }
        console.line("step \(step.number) skipped: \(reason)", .dim)
        return true
    }

    // MARK: Checking

    /// Evaluates `step`'s expectations against the kernel now, and shows the results.
    @discardableResult
    public func check(_ step: Step, show: Bool = true) -> [CheckResult] {
        let results = evaluate(step.expectations)
        if show { self.show(results) }
        return results
    }

    /// The processes the lab's commands and expectations may name by pid.
    public var processes: SessionProcesses { SessionProcesses(run: workbench.run, reach: reach) }

    /// The results of `lines` without showing them.
    public func evaluate(_ lines: [SourceLine]) -> [CheckResult] {
        let evaluator = Evaluator(workspace: workspace, variables: workbench.variables, processes: processes, cgroupRoot: { [workbench, lab] in
            Result { () throws(CgroupError) in try workbench.cgroupRoot(forLab: lab.id) }
        })
        return lines.map { line in
            var result: CheckResult
            switch expectation(line) {
            case .success(let parsed): result = evaluator.check(parsed)
            case .failure(let error): result = CheckResult(passed: false, summary: line.text, found: "cannot parse: \(error)")
            }
            result.location = line.location.description
            if let refusal = result.refusal { result.summary = "\(line.location): \(refusal)" }
            return result
        }
    }

    /// The expectations of steps before `number` that still stand there, as the lab's
    /// reference run found: a later mistake re-flags the step it undoes, and what a later step
    /// undoes on purpose is not asked for. Empty when no reference run is known.
    public func standingExpectations(before number: Int) -> [(Step, [SourceLine])] {
        standing?.standing(before: number, in: lab) ?? []
    }

    /// Whether the kernel shows the state after `step`: its expectations and those standing
    /// there all hold. Stops at the first that does not, so a step far ahead costs little.
    /// A step this machine skips shows nothing: the learner passes it at its turn.
    public func shows(_ step: Step) -> Bool {
        guard step.skipped == nil else { return false }
        let lines = step.expectations + standingExpectations(before: step.number).flatMap(\.1)
        return !lines.isEmpty && lines.allSatisfy { evaluate([$0]).first?.passed == true }
    }

    /// The furthest step from `first` on whose state the kernel shows (a learner who did
    /// several steps before checking), or nil when none is.
    public func furthestStepShown(from first: Int = 1) -> Step? {
        lab.steps.reversed().first { $0.number >= first && shows($0) }
    }

    public func show(_ results: [CheckResult]) {
        for result in results {
            if result.passed {
                console.line("✓ " + result.summary, .success)
            } else {
                console.line("✗ " + result.summary, .failure)
                if let found = result.found { console.line("found: " + found, .failure, indent: 4) }
                if let cause = result.cause { console.line("cause: " + cause, .failure, indent: 4) }
            }
        }
    }

    // MARK: Showing

    /// The step's heading, and its prose unless the caller shows only the mechanics (batch).
    public func showHeading(_ step: Step, prose: Bool) {
        console.line("")
        console.line("── Step \(step.number)/\(lab.steps.count): \(step.title) " + String(repeating: "─", count: max(4, 60 - step.title.count)), .heading)
        if prose, !step.prose.isEmpty { console.line(ProseRenderer.render(step.prose, colors: console.colors)) }
        observer?.showing(step, in: self)
    }
}
