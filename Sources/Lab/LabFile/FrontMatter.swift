import FoundationEssentials

/// The `---` block at the top of a lab file. It is a deliberately small subset of YAML
/// (one `key: value` per line, inline lists) so GitHub renders it as a table and a
/// mistake can be pinned to one line.
struct FrontMatter {
    var id: String
    var title: String
    var summary = ""
    var requires: [String] = []
    var minutes: Int?
    /// Index in the file's lines of the first line after the closing `---`.
    var bodyStart: Int

    enum Key: String, CaseIterable {
        case id, title, summary, requires, minutes

        /// How a line setting this key looks, for messages that tell the author what to write.
        var example: String {
            switch self {
            case .id: "id: NN-name"
            case .title, .summary: "\(rawValue): …"
            case .requires: "requires: [root, overlay]"
            case .minutes: "minutes: 20"
            }
        }
    }

    static func parse(_ lines: [NumberedLine], file: String) throws(LabFileError) -> FrontMatter {
        guard let first = lines.first, isDelimiter(first) else {
            throw LabFileError(file, 1, "missing front matter: a lab file starts with a '---' line, then 'id:' and 'title:' lines, then another '---' line")
        }
        guard let closing = lines.dropFirst().firstIndex(where: isDelimiter) else {
            throw LabFileError(file, first.number, "unterminated front matter: add a '---' line after the last key")
        }
        var entries: [Key: NumberedLine] = [:]
        var values: [Key: String] = [:]
        for line in lines[1..<closing] where !line.isBlank {
            let (key, value) = try keyAndValue(line, file: file)
            if let earlier = entries[key] {
                throw LabFileError(file, line.number, "duplicate front-matter key '\(key.rawValue)': it is already set on line \(earlier.number); keep one")
            }
            entries[key] = line
            values[key] = value
        }

        let closingLine = lines[closing].number
        let expectedID = idFromFileName(file)
        guard let id = values[.id] else {
            throw LabFileError(file, closingLine, "missing 'id' in the front matter: add 'id: \(expectedID ?? "NN-name")' above this line")
        }
        if let expectedID, id != expectedID, let idLine = entries[.id] {
            throw LabFileError(file, idLine.number, "id '\(id)' does not match the file name '\(expectedID).md': set 'id: \(expectedID)' or rename the file to '\(id).md'")
        }
        guard let title = values[.title] else {
            throw LabFileError(file, closingLine, "missing 'title' in the front matter: add 'title: …' above this line")
        }
        var frontMatter = FrontMatter(id: id, title: title, bodyStart: closing + 1)
        frontMatter.summary = values[.summary] ?? ""
        if let value = values[.requires], let line = entries[.requires] {
            frontMatter.requires = try requirements(value, line: line.number, file: file)
        }
        if let value = values[.minutes], let line = entries[.minutes] {
            guard let minutes = Int(value), minutes > 0 else {
                throw LabFileError(file, line.number, "'minutes' must be a positive whole number, found '\(value)'")
            }
            frontMatter.minutes = minutes
        }
        return frontMatter
    }

    private static func isDelimiter(_ line: NumberedLine) -> Bool {
        line.text.trimmingWhitespace() == "---"
    }

    /// The id a lab must have: its file name without `.md`. Only a name ending in `.md`
    /// is taken as the real file name; callers parsing text from elsewhere pass any label.
    private static func idFromFileName(_ file: String) -> String? {
        guard let name = file.split(separator: "/").last, name.hasSuffix(".md") else { return nil }
        return String(name.dropLast(3))
    }

    private static func keyAndValue(_ line: NumberedLine, file: String) throws(LabFileError) -> (Key, String) {
        let text = line.text.trimmingWhitespace()
        guard let colon = text.firstIndex(of: ":"),
              case let name = String(text[..<colon]),
              let initial = name.first, initial.isLetter,
              name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }),
              text[colon...].dropFirst().first.map({ $0 == " " || $0 == "\t" }) ?? true
        else {
            if text.hasPrefix("- ") {
                throw LabFileError(file, line.number, "lists are written on one line in the front matter: write 'requires: [root, overlay]'")
            }
            throw LabFileError(file, line.number, "expected 'key: value' or the closing '---' in the front matter, found '\(text)'")
        }
        guard let key = Key(rawValue: name) else {
            let known = Key.allCases.map(\.rawValue)
            if let suggestion = nearest(to: name, in: known, maximumDistance: 2) {
                throw LabFileError(file, line.number, "unknown front-matter key '\(name)': did you mean '\(suggestion)'?")
            }
            throw LabFileError(file, line.number, "unknown front-matter key '\(name)': the keys are \(known.joined(separator: ", "))")
        }
        let value = unquoted(text[colon...].dropFirst().trimmingWhitespace())
        guard !value.isEmpty else {
            throw LabFileError(file, line.number, "front-matter key '\(name)' has no value: write '\(key.example)' or remove the line")
        }
        return (key, value)
    }

    /// YAML lets authors quote a value (a title with a colon in it); the quotes are not
    /// part of the value.
    private static func unquoted(_ value: String) -> String {
        guard value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first else {
            return value
        }
        return String(value.dropFirst().dropLast())
    }

    /// A `requires:` value's words, each one of `known` (a lab's requirements in the front
    /// matter, kernel features in a step).
    static func requirements(_ value: String, known: [String] = LabRequirement.allCases.map(\.rawValue), line: Int, file: String) throws(LabFileError) -> [String] {
        let items = try requirementWords(value, line: line, file: file)
        for item in items where !known.contains(item) {
            let list = "the requirements are \(known.joined(separator: ", "))"
            if let suggestion = nearest(to: item, in: known, maximumDistance: 2) {
                throw LabFileError(file, line, "unknown requirement '\(item)': did you mean '\(suggestion)'? (\(list))")
            }
            throw LabFileError(file, line, "unknown requirement '\(item)': \(list)")
        }
        return items
    }

    private static func requirementWords(_ value: String, line: Int, file: String) throws(LabFileError) -> [String] {
        guard value.hasPrefix("[") else {
            guard !value.contains(where: { $0.isWhitespace || $0 == "," }) else {
                throw LabFileError(file, line, "'requires' is one word or a list in brackets: write 'requires: [\(value.split(whereSeparator: { $0.isWhitespace || $0 == "," }).joined(separator: ", "))]'")
            }
            return [value]
        }
        guard value.hasSuffix("]") else {
            throw LabFileError(file, line, "the 'requires' list is not closed: end it with ']'")
        }
        let inside = value.dropFirst().dropLast().trimmingWhitespace()
        if inside.isEmpty { return [] }
        var items: [String] = []
        for item in inside.split(separator: ",", omittingEmptySubsequences: false) {
            let word = unquoted(item.trimmingWhitespace())
            guard !word.isEmpty else {
                throw LabFileError(file, line, "the 'requires' list has an empty item: remove the extra comma")
            }
            guard !word.contains(where: \.isWhitespace) else {
                throw LabFileError(file, line, "'requires' items are single words separated by commas, found '\(word)'")
            }
            items.append(word)
        }
        return items
    }
}
