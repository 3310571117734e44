import FoundationEssentials

/// How far a user got in each lab, saved in the state directory after every step.
public struct Progress: Codable, Sendable, Equatable {
    public struct LabProgress: Codable, Sendable, Equatable {
        public var completed: [Int] = []
        public var current: Int = 1
        public var mode: String = "guided"

        public init() {}
    }

    public var labs: [String: LabProgress] = [:]
    /// The lab opened most recently, so `boxlab` alone resumes it.
    public var lastLab: String?

    public init() {}

    /// Steps `first` to `done` of `lab` are done (the kernel showed step `done`'s state); the
    /// learner is at the next one.
    public mutating func record(_ lab: String, doneThrough done: Int, from first: Int) {
        var record = labs[lab] ?? LabProgress()
        if first <= done { record.completed = Set(record.completed).union(first...done).sorted() }
        record.current = done + 1
        labs[lab] = record
        lastLab = lab
    }

    public static func load(from state: StateDirectory) -> Progress {
        guard let data = FileManager.default.contents(atPath: state.progress),
              let progress = try? JSONDecoder().decode(Progress.self, from: data) else { return Progress() }
        return progress
    }

    /// Written whole to a temporary file and renamed, so a crash never leaves half a file.
    public func save(to state: StateDirectory) {
        try? FileManager.default.createDirectory(atPath: state.path, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        guard let data = try? encoder.encode(self) else { return }
        try? data.write(to: URL(fileURLWithPath: state.progress), options: .atomic)
    }
}
