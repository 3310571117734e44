import Foundation

/// One system call as a learner sees it: `mount("overlay", "/x", "overlay", 0, "lowerdir=…") = 0`.
public struct TraceEntry: Sendable, Equatable, CustomStringConvertible {
    public var call: String
    /// Each argument already rendered the way strace renders it (strings quoted, flags decoded).
    public var arguments: [String]
    /// The return value rendered, e.g. `0`, `3`, `5` (bytes), or nil when the call failed.
    public var result: String?
    public var errno: Errno?

    public init(call: String, arguments: [String], result: String?, errno: Errno?) {
        self.call = call
        self.arguments = arguments
        self.result = result
        self.errno = errno
    }

    public var description: String {
        let outcome = errno.map { "-1 \($0)" } ?? result ?? "0"
        return "\(call)(\(arguments.joined(separator: ", "))) = \(outcome)"
    }
}

/// Collects the system calls made while it is the current recorder.
///
/// Only the calls that a learner's command makes are recorded: BoxLab's own bookkeeping
/// (snapshots, checks) runs with no recorder installed.
public final class TraceRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [TraceEntry] = []

    public init() {}

    public func record(_ entry: TraceEntry) {
        lock.lock(); defer { lock.unlock() }
        storage.append(entry)
    }

    /// Returns the entries recorded so far and forgets them.
    public func drain() -> [TraceEntry] {
        lock.lock(); defer { lock.unlock() }
        defer { storage.removeAll() }
        return storage
    }

    public var entries: [TraceEntry] {
        lock.lock(); defer { lock.unlock() }
        return storage
    }
}

public enum Trace {
    /// The recorder that system calls made on this task report to; nil records nothing.
    @TaskLocal public static var recorder: TraceRecorder?

    /// Runs `body` with every system call it makes recorded in `recorder`.
    public static func recording<R>(into recorder: TraceRecorder, _ body: () throws -> R) rethrows -> R {
        try $recorder.withValue(recorder, operation: body)
    }
}

/// Quotes a string the way strace does: `"text"` with C escapes, truncated past `limit` bytes.
public func traceQuote(_ text: String, limit: Int = 64) -> String {
    var out = "\""
    var count = 0
    for scalar in text.unicodeScalars {
        if count >= limit { out += "\"..."; return out }
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        case " "..."~": out.unicodeScalars.append(scalar)
        default:
            if scalar.value > 0x7f { out.unicodeScalars.append(scalar) } else { out += String(format: "\\%o", scalar.value) }
        }
        count += 1
    }
    return out + "\""
}
