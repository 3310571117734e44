/// Lesson prose (Markdown written to read well on GitHub) made to read well in a terminal:
/// headings without their #, emphasis without asterisks, code blocks indented without fences.
/// With colour, headings and emphasis are bold and inline code is cyan; without, inline code
/// keeps its backticks, which are the plain-text way to mark it.
public enum ProseRenderer {
    public static func render(_ markdown: String, colors: Bool) -> String {
        var lines: [String] = []
        var inFence = false
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingWhitespace()
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                inFence.toggle()
                continue
            }
            if inFence {
                lines.append("    " + line)
            } else if let heading = heading(trimmed) {
                lines.append(colors ? bold + heading + reset : heading)
            } else {
                lines.append(inline(String(line), colors: colors))
            }
        }
        return lines.joined(separator: "\n")
    }

    private static let bold = "\u{1B}[1m", cyan = "\u{1B}[36m", reset = "\u{1B}[0m"

    private static func heading(_ line: String) -> String? {
        let hashes = line.prefix { $0 == "#" }
        guard !hashes.isEmpty, hashes.count <= 6, line.dropFirst(hashes.count).first == " " else { return nil }
        return String(line.dropFirst(hashes.count + 1))
    }

    /// `**strong**` and `` `code` ``, the two inline forms the labs use.
    private static func inline(_ line: String, colors: Bool) -> String {
        var out = ""
        var rest = Substring(line)
        var strong = false, code = false
        while let char = rest.first {
            if !code, rest.hasPrefix("**") {
                strong.toggle()
                if colors { out += strong ? bold : reset }
                rest = rest.dropFirst(2)
                continue
            }
            if char == "`" {
                code.toggle()
                out += colors ? (code ? cyan : reset + (strong ? bold : "")) : "`"
                rest = rest.dropFirst()
                continue
            }
            out.append(char)
            rest = rest.dropFirst()
        }
        return out + (colors && (strong || code) ? reset : "")
    }
}
