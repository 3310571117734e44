import FoundationEssentials
import Kernel

/// Who runs the session sandbox, so a second REPL does not take it over and `reset` knows
/// whom to stop.
public struct SessionRecord: Codable, Sendable {
    public var pid: Int32
    public var startTime: UInt64
    public var lab: String

    public init(pid: Int32, startTime: UInt64, lab: String) {
        self.pid = pid
        self.startTime = startTime
        self.lab = lab
    }

    public static func load(_ run: RunDirectory) -> SessionRecord? {
        guard let data = FileManager.default.contents(atPath: run.session) else { return nil }
        return try? JSONDecoder().decode(SessionRecord.self, from: data)
    }

    public func save(_ run: RunDirectory) {
        guard let data = try? JSONEncoder().encode(self) else { return }
        try? data.write(to: URL(fileURLWithPath: run.session), options: .atomic)
    }
}
