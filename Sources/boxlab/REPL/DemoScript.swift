import Kernel

/// A demo as the presenter typed it in the REPL (`--record-demo`), to be typed again
/// (`--replay-demo`). The file is text, one line entered a line: the seconds the prompt waited
/// for it, a space, and the line as typed (`1.25 next`; `0.80` alone is Enter on an empty
/// line). Lines starting with `#`, and empty ones, are comments.
struct DemoScript {
    struct Entry: Equatable {
        var seconds: Double
        var line: String
    }

    var entries: [Entry]

    /// What a recording starts with: the format, for whoever opens the file.
    static let header = "# boxlab demo: the seconds the prompt waited, then the line typed (`boxlab LAB --replay-demo FILE`)\n"

    /// Parses a demo file's text; `file` names it in errors (file:line: why).
    init(parsing text: String, file: String) throws(DemoScriptError) {
        entries = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let text = raw.trimmingWhitespaceAndNewlines()
            if text.isEmpty || text.hasPrefix("#") { continue }
            let number = text.prefix { $0 != " " && $0 != "\t" }
            guard let seconds = Double(number), seconds.isFinite, seconds >= 0 else {
                throw DemoScriptError(description: "\(file):\(index + 1): `\(number)` is not a number of seconds: each line is the seconds the prompt waited, then the line typed, as `1.25 next`")
            }
            entries.append(Entry(seconds: seconds, line: text.dropFirst(number.count).trimmingWhitespace()))
        }
    }

    /// An entry as the file holds it, with its newline: seconds to the hundredth.
    static func line(_ entry: Entry) -> String {
        let hundredths = Int((entry.seconds * 100).rounded())
        let seconds = "\(hundredths / 100)." + (hundredths % 100 < 10 ? "0" : "") + "\(hundredths % 100)"
        return entry.line.isEmpty ? seconds + "\n" : seconds + " " + entry.line + "\n"
    }
}

/// A demo file that does not parse, as file:line: why.
struct DemoScriptError: Error, CustomStringConvertible {
    let description: String
}
