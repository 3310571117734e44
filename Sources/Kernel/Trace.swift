import FoundationEssentials
import Synchronization

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
public final class TraceRecorder: Sendable {
    private let storage = Mutex<[TraceEntry]>([])
    private let live: (@Sendable (TraceEntry) -> Void)?

    /// `live` gets each call as it is made, instead of keeping it (a command that runs a
    /// program in the terminal shows its calls before the program starts).
    public init(live: (@Sendable (TraceEntry) -> Void)? = nil) {
        self.live = live
    }

    public func record(_ entry: TraceEntry) {
        if let live { return live(entry) }
        storage.withLock { $0.append(entry) }
    }

    /// Returns the entries recorded so far and forgets them.
    public func drain() -> [TraceEntry] {
        storage.withLock { entries in
            defer { entries.removeAll() }
            return entries
        }
    }

    public var entries: [TraceEntry] {
        storage.withLock { $0 }
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

/// Quotes a string the way strace does: `"text"` with C escapes, truncated past `limit` characters.
public func traceQuote(_ text: String, limit: Int = 64) -> String {
    quote(text.unicodeScalars, limit: limit, keepNonASCII: true)
}

/// Quotes a path argument; strace prints those whole, however long.
func tracePath(_ path: String) -> String {
    traceQuote(path, limit: .max)
}

/// Quotes bytes the way strace does; bytes that are not UTF-8 text are shown in octal, `"\377\0"`.
public func traceQuote(_ bytes: [UInt8], limit: Int = 64) -> String {
    if let text = String(validating: bytes, as: UTF8.self) { return traceQuote(text, limit: limit) }
    return quote(bytes.map { Unicode.Scalar($0) }, limit: limit, keepNonASCII: false)
}

private func quote(_ scalars: some Sequence<Unicode.Scalar>, limit: Int, keepNonASCII: Bool) -> String {
    var out = "\""
    var count = 0
    for scalar in scalars {
        if count >= limit { out += "\"..."; return out }
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        case " "..."~": out.unicodeScalars.append(scalar)
        default:
            if keepNonASCII && scalar.value > 0x7f { out.unicodeScalars.append(scalar) } else { out += "\\" + String(scalar.value, radix: 8) }
        }
        count += 1
    }
    return out + "\""
}

/// Renders a bit set the way strace does: `MS_BIND|MS_REC`, `0` when empty, unknown bits in hex.
func traceFlags(_ value: UInt64, _ names: [(bits: UInt64, name: String)]) -> String {
    var rest = value
    var parts: [String] = []
    for (bits, name) in names where bits != 0 && rest & bits == bits {
        parts.append(name)
        rest &= ~bits
    }
    if rest != 0 { parts.append("0x" + String(rest, radix: 16)) }
    return parts.isEmpty ? "0" : parts.joined(separator: "|")
}
