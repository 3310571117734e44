import FoundationEssentials
import Kernel

/// Which lab the session sandbox is on, so `boxlab shell` starts in its workspace. (Who
/// holds the session is the run directory's lock's to say: `RunLock`.)
public struct SessionRecord: Codable, Sendable {
    public var lab: String

    public init(lab: String) {
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
