/// A line of the lab file with its 1-based line number, kept together so every later
/// stage can report errors where the author will look.
struct NumberedLine {
    var text: String
    var number: Int

    /// Splits on "\n", "\r\n" and "\r" (a file edited on Windows must number the same),
    /// without the empty line a final newline would otherwise add.
    static func split(_ text: String) -> [NumberedLine] {
        var body = Substring(text)
        if body.first == "\u{FEFF}" { body = body.dropFirst() }
        var lines = body.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
        if lines.last?.isEmpty == true { lines.removeLast() }
        return lines.enumerated().map { NumberedLine(text: String($0.element), number: $0.offset + 1) }
    }

    var isBlank: Bool { text.allSatisfy(\.isWhitespace) }
}
