import FoundationEssentials

/// How far a user got in each lab, saved in the state directory after every step: what
/// `boxlab` resumes from, and what a course collects (`boxlab progress --json` prints the same
/// document). Its shape is docs/progress.schema.json; `version` says which one, and a file
/// written before there was a version (or with fields missing) reads with their defaults.
public struct Progress: Codable, Sendable, Equatable {
    /// The schema version this build writes. A change that a grader must notice (a field
    /// removed or meaning something else) raises it; new optional fields do not.
    public static let schemaVersion = 1

    public struct LabProgress: Codable, Sendable, Equatable {
        public var completed: [Int] = []
        public var current: Int = 1
        public var mode: String = "guided"
        /// Per step (the key is the step's number), how it went.
        public var steps: [String: StepRecord] = [:]

        public init() {}

        public init(from decoder: Decoder) throws {
            let values = try decoder.container(keyedBy: CodingKeys.self)
            completed = try values.decodeIfPresent([Int].self, forKey: .completed) ?? []
            current = try values.decodeIfPresent(Int.self, forKey: .current) ?? 1
            mode = try values.decodeIfPresent(String.self, forKey: .mode) ?? "guided"
            steps = try values.decodeIfPresent([String: StepRecord].self, forKey: .steps) ?? [:]
        }
    }

    /// One step of one lab: when the learner first saw it and when it passed (ISO 8601, UTC),
    /// the hints shown, and the checks that did not pass (exercise attempts that failed).
    public struct StepRecord: Codable, Sendable, Equatable {
        public var shown: String?
        public var passed: String?
        public var hints: Int = 0
        /// Attempts (a `check`, or `next` in exercise mode) that did not pass.
        public var failedAttempts: Int = 0
        /// Each expectation that failed, as BoxLab phrases it (`merged is an overlay mount …`),
        /// and how often.
        public var failedChecks: [String: Int] = [:]

        public init() {}

        public init(from decoder: Decoder) throws {
            let values = try decoder.container(keyedBy: CodingKeys.self)
            shown = try values.decodeIfPresent(String.self, forKey: .shown)
            passed = try values.decodeIfPresent(String.self, forKey: .passed)
            hints = try values.decodeIfPresent(Int.self, forKey: .hints) ?? 0
            failedAttempts = try values.decodeIfPresent(Int.self, forKey: .failedAttempts) ?? 0
            failedChecks = try values.decodeIfPresent([String: Int].self, forKey: .failedChecks) ?? [:]
        }
    }

    public var version: Int = Progress.schemaVersion
    public var labs: [String: LabProgress] = [:]
    /// The lab opened most recently, so `boxlab` alone resumes it.
    public var lastLab: String?

    public init() {}

    public init(from decoder: Decoder) throws {
        let values = try decoder.container(keyedBy: CodingKeys.self)
        version = try values.decodeIfPresent(Int.self, forKey: .version) ?? Progress.schemaVersion
        labs = try values.decodeIfPresent([String: LabProgress].self, forKey: .labs) ?? [:]
        lastLab = try values.decodeIfPresent(String.self, forKey: .lastLab)
    }

    /// A moment as the file writes it: ISO 8601 in UTC, to the second.
    public static func timestamp(_ date: Date = Date()) -> String {
        date.formatted(.iso8601)
    }

    /// The learner opened `lab` in `mode`: `boxlab` alone resumes it.
    public mutating func noteOpened(_ lab: String, mode: String) {
        labs[lab, default: LabProgress()].mode = mode
        lastLab = lab
    }

    /// The learner sees step `number` of `lab` (the first time counts).
    public mutating func noteShown(_ lab: String, step number: Int, at time: String = Progress.timestamp()) {
        update(lab, step: number) { if $0.shown == nil { $0.shown = time } }
    }

    /// A hint of step `number` was shown.
    public mutating func noteHint(_ lab: String, step number: Int) {
        update(lab, step: number) { $0.hints += 1 }
    }

    /// A check of step `number` did not pass; `failed` are the expectations that failed.
    public mutating func noteFailedAttempt(_ lab: String, step number: Int, failed: [String]) {
        update(lab, step: number) { record in
            record.failedAttempts += 1
            for line in Set(failed) { record.failedChecks[line, default: 0] += 1 }
        }
    }

    /// Step `number` passed (the first time counts) and is done.
    public mutating func notePassed(_ lab: String, step number: Int, at time: String = Progress.timestamp()) {
        update(lab, step: number) { if $0.passed == nil { $0.passed = time } }
        var record = labs[lab] ?? LabProgress()
        if !record.completed.contains(number) { record.completed = (record.completed + [number]).sorted() }
        labs[lab] = record
    }

    /// Steps `first` to `done` of `lab` are done (the kernel showed step `done`'s state); the
    /// learner is at the next one.
    public mutating func record(_ lab: String, doneThrough done: Int, from first: Int) {
        if first <= done { for number in first...done { notePassed(lab, step: number) } }
        labs[lab, default: LabProgress()].current = done + 1
        lastLab = lab
    }

    private mutating func update(_ lab: String, step number: Int, _ change: (inout StepRecord) -> Void) {
        var record = labs[lab] ?? LabProgress()
        change(&record.steps[String(number), default: StepRecord()])
        labs[lab] = record
    }

    /// Reads the file, changes it and writes it back: the REPL and `boxlab check` may both
    /// have written since this process last read it.
    public static func change(in state: StateDirectory = .default, _ change: (inout Progress) -> Void) {
        var progress = load(from: state)
        change(&progress)
        progress.save(to: state)
    }

    public static func load(from state: StateDirectory) -> Progress {
        guard let data = FileManager.default.contents(atPath: state.progress),
              let progress = try? JSONDecoder().decode(Progress.self, from: data) else { return Progress() }
        return progress
    }

    /// The document as `progress.json` holds it and `boxlab progress --json` prints it.
    public func encoded() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)) ?? Data()
    }

    /// Written whole to a temporary file and renamed, so a crash never leaves half a file.
    public func save(to state: StateDirectory) {
        try? FileManager.default.createDirectory(atPath: state.path, withIntermediateDirectories: true)
        try? encoded().write(to: URL(fileURLWithPath: state.progress), options: .atomic)
    }
}
