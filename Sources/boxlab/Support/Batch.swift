import FoundationEssentials
import Kernel
import Lab

/// A lab performed from start to finish without a learner: `run`, `record` and `verify`.
struct Batch {
    let session: Session
    let workbench: Workbench

    init(lab: Lab, isolation: Isolation, trust: Bool, console: Console) throws {
        workbench = Workbench(run: .default, isolation: isolation, trust: trust)
        do { session = try workbench.open(lab, console: console) } catch {
            throw failure("cannot prepare the workspace: \(error)", code: 1)
        }
    }

    /// Performs the steps (those before `steps` silently), stopping at the first failure.
    func perform(steps: StepRange?) -> (passed: Bool, reports: [StepReport]) {
        let console = session.console
        console.line("lab \(session.lab.id): \(session.lab.title)", .heading)
        console.line("workspace: <ws> (\(workbench.isolation == .host ? "on the host" : "in a sandbox"))", .dim)
        var reports: [StepReport] = []
        for step in session.lab.steps {
            let shown = steps.map { $0.range.contains(step.number) } ?? true
            if let range = steps?.range, step.number > range.upperBound { break }
            let wasQuiet = console.quiet
            console.quiet = wasQuiet || !shown
            session.showHeading(step, prose: false)
            let report = session.perform(step)
            console.quiet = wasQuiet
            if shown { reports.append(report) }
            if !report.passed {
                if !shown { session.console.line("✗ step \(step.number) (performed silently before --steps) failed: \(report.error ?? "an expectation failed")", .failure) }
                return (false, reports)
            }
        }
        console.line("")
        console.line("✓ all \(reports.count) steps passed", .success)
        return (true, reports)
    }

    /// The reference run: every step performed, and after each one every earlier expectation
    /// evaluated again (`StandingSet`). Nil, with the report of the step, when a step failed.
    func reference() -> (standing: StandingSet?, failure: StepReport?) {
        var builder = StandingSetBuilder(session: session)
        for step in session.lab.steps {
            let report = session.perform(step)
            guard report.passed else { return (nil, report) }
            builder.record(after: step)
        }
        return (builder.set, nil)
    }

    /// Host mode: remove what the run made, unless a REPL session is using the run directory.
    func cleanUp() {
        Reset(run: workbench.run).performUnlessSessionRuns()
    }
}
