/// The lesson text of a section: its Markdown with the machine blocks taken out.
/// Removing a block leaves the blank lines around it behind, so runs of blank lines are
/// collapsed to one (Markdown renders them the same) — except inside example code
/// blocks, whose text is shown exactly as written.
struct Prose {
    private var lines: [String] = []
    private var lastWasBlank = false

    mutating func append(_ line: String) {
        if line.allSatisfy(\.isWhitespace) {
            guard !lastWasBlank else { return }
            lines.append("")
            lastWasBlank = true
        } else {
            appendVerbatim(line)
        }
    }

    mutating func appendVerbatim(_ line: String) {
        lines.append(line)
        lastWasBlank = false
    }

    var text: String {
        lines.drop(while: \.isEmpty).reversed().drop(while: \.isEmpty).reversed().joined(separator: "\n")
    }
}
