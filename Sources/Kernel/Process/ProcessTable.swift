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
        guard let bytes = try? FileSystem.readFile("/proc/\(pid)/stat") else { return nil }
        let text = String(decoding: bytes, as: UTF8.self)
        // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
        guard let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        return fields.count > 19 ? UInt64(fields[19]) : nil
    }

    /// The inode of /proc/PID/ns/KIND (kind: mnt, net, uts, ipc, pid, user, cgroup, time).
    /// Two processes share a namespace iff these are equal.
    public static func namespace(_ kind: String, of pid: Int32?) -> UInt64? {
        let who = pid.map(String.init) ?? "self"
        return try? FileSystem.stat("/proc/\(who)/ns/\(kind)").inode
    }

    /// The pids whose environment (as it was at exec) holds `entry` ("NAME=value").
    public static func withEnvironment(_ entry: String) -> [Int32] {
        pids().filter { pid in
            guard let environ = try? FileSystem.readFile("/proc/\(pid)/environ") else { return false }
            return environ.split(separator: 0).contains { String(decoding: $0, as: UTF8.self) == entry }
        }
    }

    /// `pid`, its parent, and so on up to init: the processes `reset` must not kill.
    public static func ancestry(of pid: Int32) -> Set<Int32> {
        var chain: Set<Int32> = []
        var current = pid
        while current > 1, chain.insert(current).inserted, let parent = parent(of: current) { current = parent }
        return chain
    }

    /// Field 4 of /proc/PID/stat.
    public static func parent(of pid: Int32) -> Int32? {
        guard let bytes = try? FileSystem.readFile("/proc/\(pid)/stat") else { return nil }
        let text = String(decoding: bytes, as: UTF8.self)
        guard let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        return fields.count > 1 ? Int32(fields[1]) : nil
    }

    /// The pids whose namespace of `kind` has inode `inode`.
    public static func members(ofNamespace kind: String, inode: UInt64) -> [Int32] {
        pids().filter { namespace(kind, of: $0) == inode }
    }
}
