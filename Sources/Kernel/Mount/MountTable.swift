/// The mounts a process sees, as /proc/PID/mountinfo lists them: parents before children,
/// and a mount stacked on another after it.
public struct MountTable: Sendable, Equatable {
    public var entries: [MountInfoEntry]

    public init(entries: [MountInfoEntry]) {
        self.entries = entries
    }

    /// Parses the text of a mountinfo file; blank lines are skipped.
    public static func parse(_ text: String) throws(MountInfoParseError) -> MountTable {
        var entries: [MountInfoEntry] = []
        for (index, line) in text[...].splitBytes("\n", keepingEmpty: true).enumerated()
        where !line.isEmpty {
            entries.append(try MountInfoEntry(mountinfoLine: line, number: index + 1))
        }
        return MountTable(entries: entries)
    }

    /// Reads /proc/self/mountinfo, or that of process `pid` (whose mount namespace may differ).
    public static func read(pid: Int32? = nil) throws -> MountTable {
        let path = "/proc/\(pid.map(String.init) ?? "self")/mountinfo"
        return try parse(String(decoding: FileSystem.readFile(path), as: UTF8.self))
    }

    /// The mount a lookup of `path` lands on: the last listed one mounted there.
    public func mount(at path: String) -> MountInfoEntry? {
        let path = Self.normalized(path)
        return entries.last { $0.mountPoint == path }
    }

    /// The mount `path` is on: the one at the deepest mount point above it (or at it), the
    /// last listed there (the one on top). Prefixes only: symbolic links are not followed.
    public func mount(containing path: String) -> MountInfoEntry? {
        let path = Self.normalized(path)
        var found: MountInfoEntry?
        for entry in entries where path == entry.mountPoint || path.hasPrefix(entry.mountPoint == "/" ? "/" : entry.mountPoint + "/") {
            if entry.mountPoint.count >= (found?.mountPoint.count ?? 0) { found = entry }
        }
        return found
    }

    /// The mounts at `path` or below it, in table order.
    public func mounts(under path: String) -> [MountInfoEntry] {
        let path = Self.normalized(path)
        let prefix = path == "/" ? "/" : path + "/"
        return entries.filter { $0.mountPoint == path || $0.mountPoint.hasPrefix(prefix) }
    }

    /// mountinfo never lists a mount point with a trailing slash.
    private static func normalized(_ path: String) -> String {
        var path = Substring(path)
        while path.count > 1 && path.hasSuffix("/") { path = path.dropLast() }
        return String(path)
    }
}
