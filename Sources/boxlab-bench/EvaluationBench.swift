import Foundation
import Kernel
import Lab

/// (b) Evaluating one step's expectations in this process, as `check` and every performed
/// step do, next to the raw cost of the system calls that evaluation makes.
///
/// The lab is performed step by step in a workspace on a tmpfs, as a batch run does; right
/// after steps 2 and 6 (while their expectations hold) each is evaluated many times.
struct EvaluationBench {
    let options: BenchOptions
    let labs: String
    let work: String
    /// Step 2: a mount, a directory and two files; step 6: an opaque directory and two files.
    static let measuredSteps = [2, 6]

    /// Prints its rows; false when a measurement failed.
    func run() -> Bool {
        Table.section("Evaluate one step's expectations, in-process (\(options.iterations) iterations interleaved; per evaluation)")
        let run = RunDirectory(path: work + "/evaluation")
        defer { Cleanup.remove(run) }
        do {
            let lab = try LabCatalog(directory: labs).load("02-overlayfs")
            try FileManager.default.createDirectory(atPath: run.workspaces, withIntermediateDirectories: true)
            // A tmpfs for the workspaces, as a sandboxed run has.
            try Mounts.mount(source: "boxlab", target: run.workspaces, fstype: "tmpfs", flags: [.noSuid, .noDev], data: "mode=0755")
            let console = Console.silent()
            let session = try Workbench(run: run, isolation: .private).open(lab, console: console)
            for step in lab.steps {
                let report = session.perform(step)
                guard report.passed else {
                    throw BenchError("step \(step.number) of \(lab.id) did not pass: \(report.error ?? report.checks.filter { !$0.passed }.map(\.summary).joined(separator: "; "))")
                }
                if EvaluationBench.measuredSteps.contains(step.number) { try measure(step, in: session) }
            }
            return true
        } catch {
            Table.failed("Evaluate expectations", BenchError(error))
            return false
        }
    }

    private func measure(_ step: Step, in session: Session) throws {
        let expectations = try step.expectations.map { try ExpectationParser.parse($0.text) }
        var raw = RawSyscalls(expectations, in: session.workspace)
        let lines = step.expectations
        if let failed = session.evaluate(lines).first(where: { !$0.passed }) {
            throw BenchError("step \(step.number): \(failed.summary) does not hold after the step: \(failed.found ?? "")")
        }
        guard raw.perform() == 0 else { throw BenchError("step \(step.number): a raw system call failed") }

        var boxlab = Samples(), floor = Samples()
        var failures = 0
        func evaluate() -> Double {
            let start = Clock.now()
            let results = session.evaluate(lines)
            let elapsed = Clock.since(start)
            failures += results.count(where: { !$0.passed })
            return Double(elapsed)
        }
        func syscalls() -> Double {
            let start = Clock.now()
            let failed = raw.perform()
            let elapsed = Clock.since(start)
            failures += failed
            return Double(elapsed)
        }
        for _ in 0..<min(100, options.iterations) { _ = evaluate(); _ = syscalls() }  // warm-up
        // A, B, B, A, A, B, …: neither always runs first.
        for iteration in 0..<options.iterations {
            if iteration % 2 == 0 {
                boxlab.add(evaluate()); floor.add(syscalls())
            } else {
                floor.add(syscalls()); boxlab.add(evaluate())
            }
        }
        guard failures == 0 else { throw BenchError("step \(step.number): \(failures) checks or calls failed while measuring") }
        Table.row("step \(step.number), BoxLab (\(expectations.count) expectations)", Table.medianAndP90(boxlab),
                  "\(Table.ratio(boxlab.median, to: floor.median)) raw syscalls")
        Table.row("step \(step.number), raw syscalls (the same \(raw.count))", Table.medianAndP90(floor))
    }
}
