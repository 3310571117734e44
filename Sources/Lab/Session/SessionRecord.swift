import FoundationEssentials
import Kernel

/// Which lab the session is on, so `boxlab shell` starts in its workspace, and what the REPL
/// shows of it, so `boxlab notes` follows the presenter on a second terminal. (Who holds the
/// session is the run directory's lock's to say: `RunLock`.)
public struct SessionRecord: Codable, Sendable, Equatable {
    public var lab: String
    /// Nil until the REPL shows a step (while it replays the earlier ones).
    public var shown: Shown?

    /// What the REPL shows: a step with its presenter notes, or the end of the lab.
    public enum Shown: Codable, Sendable, Equatable {
        case step(number: Int, of: Int, title: String, notes: [String])
        case end
    }

    public init(lab: String, shown: Shown? = nil) {
        self.lab = lab
        self.shown = shown
    }

    public static func load(_ run: RunDirectory) -> SessionRecord? {
        guard let data = FileManager.default.contents(atPath: run.session) else { return nil }
        return try? JSONDecoder().decode(SessionRecord.self, from: data)
    }

    /// The record of the session that runs in `run` now; nil when none does. A host-mode
    /// REPL leaves its record behind when it ends: only the lock says it still runs.
    public static func running(_ run: RunDirectory) -> SessionRecord? {
        guard let record = load(run), RunLock.holder(run) != nil else { return nil }
        return record
    }

    /// Written whole to a temporary file and renamed, so a reader never sees half of it.
    public func save(_ run: RunDirectory) {
        guard let data = try? JSONEncoder().encode(self) else { return }
        try? data.write(to: URL(fileURLWithPath: run.session), options: .atomic)
    }
}
