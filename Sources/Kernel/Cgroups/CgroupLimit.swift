/// A cgroup limit: a number (bytes, processes, microseconds) or none, which the kernel
/// writes as `max`.
public enum CgroupLimit: Sendable, Hashable, Codable, CustomStringConvertible {
    case max
    case value(UInt64)

    /// `32M`, `64K`, `1G`, `max`, or plain bytes, as memory.max accepts them.
    public init(size text: String) throws(CgroupSizeError) {
        if text == "max" { self = .max; return }
        // Keyed by String: the uppercase of some characters is two (`ß` is `SS`).
        let units: [String: UInt64] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40]
        var digits = Substring(text)
        var unit: UInt64 = 1
        if let last = text.last, let scale = units[last.uppercased()] {
            unit = scale
            digits = digits.dropLast()
        }
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), let number = UInt64(digits),
              case let (bytes, overflow) = number.multipliedReportingOverflow(by: unit), !overflow else {
            throw CgroupSizeError(text: text)
        }
        self = .value(bytes)
    }

    /// A plain count or `max` (pids.max, a cpu quota).
    public init(count text: String) throws(CgroupSizeError) {
        if text == "max" { self = .max; return }
        guard let number = UInt64(text) else { throw CgroupSizeError(text: text, isCount: true) }
        self = .value(number)
    }

    /// v1 files say "no limit" with -1 on write and a huge number on read (memory's is
    /// PAGE_COUNTER_MAX pages, 9223372036854771712 with 4K pages).
    init(v1 text: String) {
        let trimmed = text.trimmingWhitespaceAndNewlines()
        if trimmed == "max" || trimmed.hasPrefix("-") { self = .max; return }
        guard let number = UInt64(trimmed), number < 1 << 62 else { self = .max; return }
        self = .value(number)
    }

    /// As a v2 file reads: `max` or the number.
    public var description: String {
        switch self {
        case .max: "max"
        case .value(let number): String(number)
        }
    }

    /// Bytes in the largest unit that divides them exactly: `32M`, `1536K`, `max`.
    public var size: String {
        guard case .value(let bytes) = self else { return "max" }
        for (suffix, unit) in [("G", UInt64(1) << 30), ("M", 1 << 20), ("K", 1 << 10)] where bytes >= unit && bytes % unit == 0 {
            return "\(bytes / unit)\(suffix)"
        }
        return String(bytes)
    }

    /// As a v1 file takes it: `-1` for no limit.
    var v1: String {
        if case .value(let number) = self { return String(number) }
        return "-1"
    }
}

/// A limit that is not written the way cgroup files take them.
public struct CgroupSizeError: Error, Sendable, Equatable, CustomStringConvertible {
    public var text: String
    public var isCount: Bool

    public init(text: String, isCount: Bool = false) {
        self.text = text
        self.isCount = isCount
    }

    public var description: String {
        isCount ? "'\(text)' is not a count: write a whole number such as 10, or max"
            : "'\(text)' is not a size: write 32M, 33554432 or max"
    }
}
