import FoundationEssentials

/// Turns the body of a machine block into a `Block`, checking that it says something.
extension Block {
    init(kind: BlockKind, fence: Fence, openedAt opening: Int, body: [NumberedLine], file: String) throws(LabFileError) {
        let location = SourceLocation(file: file, line: opening)
        let raw = body.map { SourceLine(text: $0.text, location: SourceLocation(file: file, line: $0.number)) }
        let label = fence.marker + kind.rawValue
        let lines: [SourceLine]
        switch kind {
        case .run:
            lines = try Self.commands(raw, label: label, file: file).filter(Self.isItem)
        case .expect:
            lines = raw.map { SourceLine(text: $0.text.trimmingWhitespace(), location: $0.location) }.filter(Self.isItem)
        case .hint, .sh, .note:
            lines = raw
        }
        guard lines.contains(where: { !$0.text.allSatisfy(\.isWhitespace) }) else {
            throw LabFileError(file, opening, Self.emptyMessage(kind, label: label))
        }
        self.init(kind: kind, lines: lines, location: location, text: raw.map(\.text).joined(separator: "\n"))
    }

    /// Blank lines and `#` comments let authors lay out a block; they are not commands.
    private static func isItem(_ line: SourceLine) -> Bool {
        !line.text.isEmpty && !line.text.hasPrefix("#")
    }

    /// Joins `\`-continued lines into one command located at its first line. Whitespace
    /// after a backslash is ignored: it is invisible in an editor and on GitHub, and must
    /// not decide whether the backslash continues the line. The continuation's indentation
    /// is layout, so it is dropped rather than pasted into the middle of the command.
    private static func commands(_ lines: [SourceLine], label: String, file: String) throws(LabFileError) -> [SourceLine] {
        var commands: [SourceLine] = []
        var pending: SourceLine?
        for (index, line) in lines.enumerated() {
            let text = line.text.trimmingWhitespace()
            // Taken, not copied, so that a long run of continuations is appended to in place.
            var command = pending.take() ?? SourceLine(text: "", location: line.location)
            command.text += text
            // A backslash ends a comment like any other character, and an even number
            // of trailing backslashes is escaped backslashes: neither continues the line.
            let continues = !command.text.hasPrefix("#") && text.reversed().prefix(while: { $0 == "\\" }).count % 2 == 1
            guard continues else {
                // A continuation onto a blank line leaves the space before the backslash.
                commands.append(SourceLine(text: command.text.trimmingWhitespace(), location: command.location))
                continue
            }
            guard index < lines.count - 1 else {
                throw LabFileError(file, line.location.line, "line continuation at the end of the \(label) block: remove the trailing '\\' or add the line it continues onto")
            }
            command.text.removeLast()
            pending = command
        }
        return commands
    }

    private static func emptyMessage(_ kind: BlockKind, label: String) -> String {
        switch kind {
        case .run: "\(label) block has no commands: add one or delete the block"
        case .expect: "\(label) block has no expectations: add one or delete the block"
        case .hint: "\(label) block is empty: write the hint or delete the block"
        case .sh: "\(label) block is empty: write the script or delete the block"
        case .note: "\(label) block is empty: write the note or delete the block"
        }
    }
}
