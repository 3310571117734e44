import FoundationEssentials

/// A `## Step N: Title` heading. Any heading whose text starts with the word "Step" is
/// taken as meant to be one, so a malformed step heading is reported instead of silently
/// becoming part of the previous step's prose.
struct StepHeading {
    var number: Int
    var title: String

    /// Nil when the line is not a step heading at all; throws when it is a step heading
    /// that is malformed or whose number is not `expected`.
    static func parse(_ line: NumberedLine, expected: Int, file: String) throws(LabFileError) -> StepHeading? {
        let text = line.text.drop(while: { $0 == " " })
        let hashes = text.prefix(while: { $0 == "#" })
        let content = text.dropFirst(hashes.count).drop(while: \.isWhitespace)
        guard !hashes.isEmpty, line.text.count - text.count <= 3, content.lowercased().hasPrefix("step"),
              content.dropFirst(4).first.map({ $0.isWhitespace || $0.isNumber || $0 == ":" }) ?? true
        else { return nil }

        let form = "'## Step \(expected): Title'"
        guard hashes.count == 2, text.dropFirst(2).first?.isWhitespace == true, content.hasPrefix("Step"),
              case let afterWord = content.dropFirst(4), afterWord.first?.isWhitespace == true,
              case let digits = afterWord.drop(while: \.isWhitespace).prefix(while: { $0.isASCII && $0.isNumber }),
              let number = Int(digits),
              case let afterNumber = afterWord.drop(while: \.isWhitespace).dropFirst(digits.count).drop(while: \.isWhitespace),
              afterNumber.first == ":"
        else {
            throw LabFileError(file, line.number, "a step heading must look like \(form), found '\(line.text.trimmingWhitespace())'")
        }
        guard number == expected else {
            throw LabFileError(file, line.number, "step \(number) is out of order: expected step \(expected) here; write \(form)")
        }
        let title = withoutClosingHashes(afterNumber.dropFirst().trimmingWhitespace())
        guard !title.isEmpty else {
            throw LabFileError(file, line.number, "step \(number) has no title: write \(form)")
        }
        return StepHeading(number: number, title: title)
    }

    /// CommonMark allows `## Title ##`; the closing hashes are decoration, not title.
    private static func withoutClosingHashes(_ title: String) -> String {
        let trimmed = title.reversed().drop(while: { $0 == "#" })
        guard trimmed.count < title.count, trimmed.first?.isWhitespace ?? true else { return title }
        return String(trimmed.reversed()).trimmingWhitespace()
    }
}
