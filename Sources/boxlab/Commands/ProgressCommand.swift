import ArgumentParser
import FoundationEssentials
import Lab

/// `boxlab progress`: what this learner has done, lab by lab and step by step, for the learner
/// and (`--json`, the document docs/progress.schema.json describes) for a course's grader.
struct ProgressCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "progress",
        abstract: "Show what you have done in each lab: steps, times, hints and failed checks.",
        discussion: """
        Reads the progress file in the state directory (BOXLAB_STATE_DIR, else \
        $XDG_STATE_HOME/boxlab, else ~/.local/state/boxlab). --json prints that document as \
        it is, in the shape docs/progress.schema.json gives (its `version` says which), for a \
        course to collect.
        """
    )

    @Argument(help: "Only this lab: id, number or name.") var lab: String?
    @Flag(help: "Print the progress document (docs/progress.schema.json).") var json = false

    func run() throws {
        var progress = Progress.load(from: .default)
        let catalog = LabCatalog.locate()
        var labs: [Lab] = []
        if let name = lab {
            let chosen = try loadLab(name)
            progress.labs = progress.labs.filter { $0.key == chosen.id }
            labs = [chosen]
        } else {
            labs = catalog.ids().compactMap { try? catalog.load($0) }
        }
        if json {
            print(String(decoding: progress.encoded(), as: UTF8.self))
            return
        }
        for lab in labs {
            let opened = progress.labs[lab.id]
            let record = opened ?? Progress.LabProgress()
            let done = record.completed.filter { $0 <= lab.steps.count }.count
            print("\(lab.id): \(done)/\(lab.steps.count) steps done" + (opened == nil ? "" : " (\(record.mode) mode)"))
            for step in lab.steps {
                guard let line = ProgressCommand.describe(record.steps[String(step.number)], done: record.completed.contains(step.number)) else { continue }
                print("  step \(step.number) \(step.title): \(line)")
                for (check, times) in (record.steps[String(step.number)]?.failedChecks ?? [:]).sorted(by: { ($1.value, $0.key) < ($0.value, $1.key) }) {
                    print("    ✗ \(times)× \(check)")
                }
            }
        }
    }

    /// One step's line: done or not, when, how long it took from first sight, hints, failed
    /// attempts; nil for a step never seen.
    static func describe(_ record: Progress.StepRecord?, done: Bool) -> String? {
        guard let record else { return done ? "done" : nil }
        var parts = [done ? "done" : "not done"]
        if let passed = record.passed {
            parts.append("passed \(passed)")
            if let shown = record.shown, let took = duration(from: shown, to: passed) { parts.append("after \(took)") }
        } else if let shown = record.shown {
            parts.append("seen \(shown)")
        }
        if record.hints > 0 { parts.append("\(record.hints) hint\(record.hints == 1 ? "" : "s")") }
        if record.failedAttempts > 0 { parts.append("\(record.failedAttempts) failed check\(record.failedAttempts == 1 ? "" : "s")") }
        return parts.joined(separator: ", ")
    }

    /// `4m 05s`, `1h 02m`, from two of the file's timestamps.
    static func duration(from start: String, to end: String) -> String? {
        guard let from = try? Date(start, strategy: .iso8601), let to = try? Date(end, strategy: .iso8601), to >= from else { return nil }
        let seconds = Int(to.timeIntervalSince(from))
        func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        if seconds >= 3600 { return "\(seconds / 3600)h \(twoDigits(seconds % 3600 / 60))m" }
        return "\(seconds / 60)m \(twoDigits(seconds % 60))s"
    }
}
