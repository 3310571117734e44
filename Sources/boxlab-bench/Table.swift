import Foundation

/// The plain-text table the benchmark prints: a label, a value column, a comparison.
enum Table {
    static let labelWidth = 42
    static let valueWidth = 24

    static func row(_ label: String, _ value: String, _ note: String = "") {
        let line = label.padding(toLength: max(labelWidth, label.count + 1), withPad: " ", startingAt: 0)
            + value.padding(toLength: max(valueWidth, value.count + 1), withPad: " ", startingAt: 0) + note
        say(line.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression))
    }

    static func section(_ title: String) {
        say("")
        say(title)
    }

    static func failed(_ label: String, _ error: BenchError) {
        row(label, "ERROR", error.description)
    }

    /// "23.1 ms / 25.0 ms" from nanoseconds.
    static func medianAndP90(_ samples: Samples) -> String {
        "\(duration(samples.median)) / \(duration(samples.p90))"
    }

    static func duration(_ nanoseconds: Double) -> String {
        if nanoseconds >= 1_000_000 { return String(format: "%.1f ms", nanoseconds / 1e6) }
        if nanoseconds >= 10_000 { return String(format: "%.1f µs", nanoseconds / 1e3) }
        return String(format: "%.2f µs", nanoseconds / 1e3)
    }

    static func ratio(_ value: Double, to base: Double) -> String {
        String(format: "%.1fx", value / base)
    }

    static func mebibytes(_ kibibytes: Double) -> String {
        String(format: "%.1f MiB", kibibytes / 1024)
    }
}

/// A line on stdout, written at once (stdout may be a pipe, where C's stdio would hold it back).
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
