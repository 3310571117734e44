import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// What /proc says about processes (proc(5)).
public enum ProcessTable {
    /// Every pid in /proc.
    public static func pids() -> [Int32] {
        guard let names = try? FileSystem.listDirectory("/proc") else { return [] }
        return names.compactMap { Int32($0) }
    }

    /// Field 22 of /proc/PID/stat: when the process started, in clock ticks since boot.
    /// With the pid it names one process for good, since pids are reused.
    public static func startTime(of pid: Int32) -> UInt64? {
        status(of: pid).flatMap { $0.fields.count > 19 ? UInt64($0.fields[19]) : nil }
    }

    /// Field 4 of /proc/PID/stat.
    public static func parent(of pid: Int32) -> Int32? {
        status(of: pid).flatMap { $0.fields.count > 1 ? Int32($0.fields[1]) : nil }
    }

    /// Field 2 of /proc/PID/stat: the command name, as `ps` shows it.
    public static func name(of pid: Int32) -> String? {
        status(of: pid)?.name
    }

    /// Whether the process that started at `startTime` (field 22) as `pid` still runs: not
    /// gone, not waiting to be reaped (state Z), and not a later process that reuses the pid.
    public static func isRunning(_ pid: Int32, startedAt startTime: UInt64) -> Bool {
        guard let fields = status(of: pid)?.fields, fields.count > 19 else { return false }
        return fields[0] != "Z" && UInt64(fields[19]) == startTime
    }

    /// A process that has ended and waits for its parent to reap it (state Z), or is gone.
    public static func hasEnded(_ pid: Int32) -> Bool {
        status(of: pid).map { $0.fields.first == "Z" } ?? true
    }

    /// /proc/PID/stat split into the command name and the fields after it (state first).
    /// The name may hold spaces and parentheses, so the fields are counted from the last ')'.
    private static func status(of pid: Int32) -> (name: String, fields: [Substring])? {
        guard let bytes = try? FileSystem.readFile("/proc/\(pid)/stat") else { return nil }
        let text = String(decoding: bytes, as: UTF8.self)
        guard let open = text.firstIndex(of: "("), let close = text.lastIndex(of: ")") else { return nil }
        return (String(text[text.index(after: open)..<close]), text[text.index(after: close)...].split(separator: " "))
    }

    /// The inode of /proc/PID/ns/KIND (kind: mnt, net, uts, ipc, pid, user, cgroup, time).
    /// Two processes share a namespace iff these are equal.
    public static func namespace(_ kind: String, of pid: Int32?) -> UInt64? {
        let who = pid.map(String.init) ?? "self"
        return try? FileSystem.stat("/proc/\(who)/ns/\(kind)").inode
    }

    /// The pids whose environment (as it was at exec) holds `entry` ("NAME=value").
    public static func withEnvironment(_ entry: String) -> [Int32] {
        pids().filter { environment(of: $0, holds: entry) }
    }

    /// Whether the environment of `pid` (as it was at exec) holds `entry` ("NAME=value").
    public static func environment(of pid: Int32, holds entry: String) -> Bool {
        guard let environ = try? FileSystem.readFile("/proc/\(pid)/environ") else { return false }
        return environ.split(separator: 0).contains { String(decoding: $0, as: UTF8.self) == entry }
    }

    /// `pid`, its parent, and so on up to init: the processes `reset` must not kill.
    public static func ancestry(of pid: Int32) -> Set<Int32> {
        var chain: Set<Int32> = []
        var current = pid
        while current > 1, chain.insert(current).inserted, let parent = parent(of: current) { current = parent }
        return chain
    }

    /// The pids whose namespace of `kind` has inode `inode`.
    public static func members(ofNamespace kind: String, inode: UInt64) -> [Int32] {
        pids().filter { namespace(kind, of: $0) == inode }
    }

    /// /proc/PID/cmdline with spaces between the arguments, or the name in brackets for a
    /// kernel thread, as ps shows them.
    public static func commandLine(of pid: Int32) -> String {
        let bytes = (try? FileSystem.readFile("/proc/\(pid)/cmdline")) ?? []
        guard !bytes.isEmpty else { return "[\(name(of: pid) ?? "?")]" }
        return bytes.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }.joined(separator: " ")
    }

    /// The NSpid line of /proc/PID/status: the process's pid in each PID namespace it is
    /// in, from this process's down to its own.
    public static func namespacePids(of pid: Int32) -> [Int32]? {
        statusField("NSpid", of: pid).map { $0.split(separator: "\t").compactMap { Int32($0.trimmingWhitespace()) } }
    }

    /// One `Name:\tvalue` line of /proc/PID/status (proc(5)).
    public static func statusField(_ name: String, of pid: Int32) -> String? {
        guard let bytes = try? FileSystem.readFile("/proc/\(pid)/status") else { return nil }
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") where line.hasPrefix(name + ":") {
            return String(line.dropFirst(name.count + 1)).trimmingWhitespace()
        }
        return nil
    }

    /// The effective uid (`Uid`) or gid (`Gid`) of a process, the second of the four ids
    /// /proc/PID/status lists, as this process's user namespace sees it.
    public static func effectiveID(_ field: String, of pid: Int32) -> UInt32? {
        statusField(field, of: pid)?.split(whereSeparator: \.isWhitespace).dropFirst().first.flatMap { UInt32($0) }
    }

    /// /proc/PID/uid_map (or gid_map) with its columns' padding removed: "0 0 1".
    public static func idMap(_ file: String, of pid: Int32) -> String? {
        guard let bytes = try? FileSystem.readFile("/proc/\(pid)/\(file)") else { return nil }
        return String(decoding: bytes, as: UTF8.self).split(separator: "\n")
            .map { $0.split(separator: " ").joined(separator: " ") }.joined(separator: "\n")
    }

    /// /proc/PID/setgroups: "allow" or "deny".
    public static func setgroups(of pid: Int32) -> String? {
        (try? FileSystem.readFile("/proc/\(pid)/setgroups")).map { String(decoding: $0, as: UTF8.self).trimmingWhitespaceAndNewlines() }
    }
}
