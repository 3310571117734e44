import FoundationEssentials

/// A CommonMark fenced code block opening (``` or ~~~, three or more), so blocks are
/// found exactly where GitHub renders them and nowhere else.
struct Fence {
    /// The fence as written without indentation, e.g. "```" or "~~~~".
    var marker: String
    /// Spaces before the fence; CommonMark removes as many from each line of the body.
    var indent: Int
    /// The text after the fence: `run`, `console`, or nothing.
    var info: String

    init?(opening line: String) {
        let indent = line.prefix(while: { $0 == " " }).count
        let rest = line.dropFirst(indent)
        guard indent <= 3, let character = rest.first, character == "`" || character == "~" else { return nil }
        let marker = rest.prefix(while: { $0 == character })
        let info = rest.dropFirst(marker.count).trimmingWhitespace()
        // A backtick in the info string means this is inline code such as ```x```, not a fence.
        guard marker.count >= 3, !(character == "`" && info.contains("`")) else { return nil }
        self.marker = String(marker)
        self.indent = indent
        self.info = info
    }

    /// The first word of the info string, which names the block kind or the language.
    var kindWord: String { info.split(whereSeparator: \.isWhitespace).first.map(String.init) ?? "" }

    /// A closing fence uses the opening character, at least as many times, and nothing else.
    func isClosed(by line: String) -> Bool {
        let indent = line.prefix(while: { $0 == " " }).count
        let rest = line.dropFirst(indent)
        let run = rest.prefix(while: { $0 == marker.first })
        return indent <= 3 && run.count >= marker.count && rest.dropFirst(run.count).allSatisfy(\.isWhitespace)
    }

    func removingIndent(from line: String) -> String {
        String(line.dropFirst(min(indent, line.prefix(while: { $0 == " " }).count)))
    }
}
