import Lab

/// Random input in BoxLab's lab language, the same for the same seed: command lines,
/// expectation lines and whole lab files, built from the grammar's own words and then
/// mutated. The parser test throws them at the parsers here; `boxlab-fuzz generate` writes
/// lab files for the VM tier, the only place their commands may be performed.
public struct LabFuzzer {
    var random: SeededRandom
    /// Off while a well-formed block's lines are made: only short ones are kept there, and
    /// long ones would be made only to be thrown away.
    private var long = true

    public init(seed: UInt64) {
        random = SeededRandom(seed: seed)
    }

    /// A command and words, quotes, `$VARS`, a redirection, a final `&`, sometimes mutated.
    public mutating func commandLine() -> String {
        var words: [String] = []
        if random.chance(90) { words.append(random.pick(FuzzVocabulary.commands)) }
        for _ in 0..<random.number(0...6) { words.append(word(from: FuzzVocabulary.commandWords)) }
        if random.chance(15) { words += [random.pick([">", ">>", "<", ">>>", "> >"]), word(from: ["out", "a b", "$UNSET", "d/f"])] }
        if random.chance(15) { words.append("&") }
        return mutated(joined(words))
    }

    /// An expectation keyword (or none) and words of the expectation forms, sometimes mutated.
    public mutating func expectationLine() -> String {
        var words = [random.chance(90) ? random.pick(FuzzVocabulary.expectationKeywords) : word(from: FuzzVocabulary.expectationWords)]
        for _ in 0..<random.number(0...6) { words.append(word(from: FuzzVocabulary.expectationWords)) }
        if long, random.chance(2) {
            // Nesting: `not still not …`, `mount a in p in p …`.
            let nesting = random.pick([["not"], ["still"], ["no"], ["in", "$c1"]])
            let count = random.number(1...10_000)
            words = nesting[0] == "in" ? ["mount", "a"] + Array(repeating: nesting, count: count).joined() : Array(repeating: nesting[0], count: count) + words
        }
        return mutated(joined(words))
    }

    /// A printf format or a size: a word of the hostile kind, often with more around it.
    public mutating func numberOrFormat() -> String {
        mutated((0..<random.number(1...3)).map { _ in random.pick(FuzzVocabulary.hostile) }.joined())
    }

    /// A lab file whose id is `id`. Most are well-formed, their commands and expectations
    /// kept to what the parsers accept, so that a run gets to perform them; the others are
    /// broken on purpose: front matter, headings, fences, line ends, encoding.
    public mutating func labFile(id: String) -> [UInt8] {
        var lines = frontMatter(id: id)
        lines += prose()
        for number in 1...random.number(1...4) {
            lines.append("## Step \(number): " + random.pick(["Go", "Mount the union", "日本語 🧪", "A \"quoted\" title ##"]))
            lines += prose()
            for index in 0..<random.number(1...3) { lines += block(performing: index == 0) }
        }
        guard random.chance(40) else { return Array((lines.joined(separator: "\n") + "\n").utf8) }
        for _ in 0..<random.number(1...4) { breakStructure(&lines) }
        let ending = random.pick(["\n", "\n", "\r\n", "\r", ""])
        var bytes = Array(((random.chance(10) ? "\u{FEFF}" : "") + lines.joined(separator: ending)).utf8)
        if random.chance(15), !bytes.isEmpty {
            // Not UTF-8: a lone continuation byte, a truncated sequence, a byte never valid.
            bytes.insert(random.pick([0x80, 0xC3, 0xFF, 0xED]), at: random.number(0...bytes.count))
        }
        return bytes
    }

    private mutating func frontMatter(id: String) -> [String] {
        var lines = ["---", "id: \(id)", "title: Fuzz \(id)"]
        if random.chance(50) { lines.append("summary: " + random.pick(["One line.", "'Quoted: with colon'", "\"", "日本語"])) }
        if random.chance(60) {
            let known = LabRequirement.allCases.map(\.rawValue).filter { _ in random.chance(50) }
            lines.append("requires: [\(known.joined(separator: ", "))]")
        }
        if random.chance(30) { lines.append("minutes: \(random.number(1...90))") }
        lines.append("---")
        return lines
    }

    private mutating func prose() -> [String] {
        (0..<random.number(0...3)).map { _ in
            random.pick(["", "Some lesson text.", "`inline ```code```", "# A heading", "Step by step", "- a list item", "> quoted"])
                + (random.chance(20) ? " " + random.pick(FuzzVocabulary.hostile) : "")
        }
    }

    /// A fenced block: run and expect blocks hold lines the parsers accept. A step's first
    /// block is one that does or checks something, as every step must have.
    private mutating func block(performing: Bool) -> [String] {
        let fence = random.chance(85) ? "```" : random.pick(["~~~", "````", "  ```"])
        let info = performing ? random.pick(["run", "expect"])
            : random.pick(["run", "run", "expect", "expect", "hint", "note", "console", "sh", "run cgroup-v1", "run cgroup-v2"])
        var body: [String]
        switch info {
        case let kind where kind.hasPrefix("run"):
            body = (0..<random.number(1...4)).map { _ in accepted({ $0.commandLine() }, fallback: "pwd") { line in
                (try? CommandRunner.prepare(line)) != nil
            } }
            if random.chance(20) { body.insert("# a comment", at: 0) }
        case "expect":
            body = (0..<random.number(1...3)).map { _ in accepted({ $0.expectationLine() }, fallback: "absent nothing-here") { line in
                (try? ExpectationParser.parse(line)) != nil
            } }
        case "sh":
            body = ["echo \(random.number(0...999)) > sh-output"]
        default:
            body = prose()
        }
        return [fence + info] + body + [fence.trimmingPrefixSpaces()]
    }

    /// The first of a few short generated lines that `accepts`, else `fallback`. Long lines
    /// come from `breakStructure`.
    private mutating func accepted(_ generate: (inout LabFuzzer) -> String, fallback: String, accepts: (String) -> Bool) -> String {
        long = false
        defer { long = true }
        for _ in 0..<20 {
            let line = generate(&self)
            if line.utf8.count <= 500, !line.contains("\n"), !line.contains("\r"), accepts(line) { return line }
        }
        return fallback
    }

    /// One structural mistake, of the kinds authors and corrupt downloads make.
    private mutating func breakStructure(_ lines: inout [String]) {
        let position = random.number(0...lines.count)
        switch random.number(0...9) {
        case 0 where !lines.isEmpty: lines.remove(at: min(position, lines.count - 1))
        case 1: lines.insert(random.pick(["```", "~~~", "```run", "````expect", "```rnu", "```run cgroup-v3", "   ```", "    ```run"]), at: position)
        case 2: lines.insert(random.pick(["---", "id: other", "requires: [warpdrive]", "minutes: -1", "titel: x", "requires: [root,,]"]), at: position)
        case 3: lines.insert(random.pick(["## Step 9: Late", "## Step one: x", "### Step 1: x", "## Step 1 Go", "##Step 2: x", "## Step 99999999999999999999: x"]), at: position)
        case 4: lines.insert(commandLine(), at: position)
        case 5: lines.insert(expectationLine(), at: position)
        case 6: lines.insert(String(repeating: random.pick(["a", "`", "#", "\\", " "]), count: random.number(1_000...50_000)), at: position)
        case 7: lines.insert(random.pick(["\u{0}", "a\u{0}b", "run\u{0}", "```\u{0}"]), at: position)
        case 8 where !lines.isEmpty: lines[min(position, lines.count - 1)] = mutated(lines[min(position, lines.count - 1)], always: true)
        case 9 where random.chance(20):
            let continued = Array(repeating: random.pick(["echo \\", "\\", "a\\\\\\"]), count: random.number(1_000...10_000))
            lines.insert(contentsOf: ["```run"] + continued + ["x", "```"], at: position)
        default: lines.insert(contentsOf: ["```run", "echo \\", "```"], at: position)
        }
    }

    /// A word: most often from `vocabulary`, else a variable or a hostile string, sometimes quoted.
    mutating func word(from vocabulary: [String]) -> String {
        let word = switch random.number(0...9) {
        case 0...5: random.pick(vocabulary)
        case 6: random.pick(FuzzVocabulary.variables)
        case 7, 8: random.pick(FuzzVocabulary.hostile)
        default: random.pick(vocabulary) + random.pick(FuzzVocabulary.hostile) + random.pick(FuzzVocabulary.variables)
        }
        return switch random.number(0...9) {
        case 0: "'" + word + "'"
        case 1: "\"" + word + "\""
        case 2: random.pick(["\"", "'", "\\"]) + word
        default: word
        }
    }

    private mutating func joined(_ words: [String]) -> String {
        var line = ""
        for (index, word) in words.enumerated() {
            if index > 0 { line += random.chance(90) ? " " : random.pick(["  ", "\t", " \\ ", ""]) }
            line += word
        }
        return line
    }

    /// Sometimes (or `always`) changed as a fuzzer changes input: characters inserted,
    /// removed or repeated, the line cut short or made very long.
    mutating func mutated(_ text: String, always: Bool = false) -> String {
        guard always || random.chance(30) else { return text }
        var scalars = Array(text.unicodeScalars)
        for _ in 0..<random.number(1...3) {
            let position = random.number(0...scalars.count)
            let end = min(scalars.count, position + random.number(1...8))
            switch random.number(0...5) {
            case 0, 1: scalars.insert(scalar(), at: position)
            case 2: scalars.removeSubrange(position..<end)
            case 3: scalars.insert(contentsOf: Array(repeating: scalars[position..<end], count: random.number(2...50)).joined(), at: position)
            case 4:
                let length = !long ? random.number(1...50) : random.chance(10) ? random.number(10_000...30_000) : random.number(100...2_000)
                scalars.insert(contentsOf: repeatElement(random.pick(["a", "\\", "$", "'", "%", "-", "=", "é", "\u{0}"]), count: length), at: position)
            default: scalars.removeSubrange(position...)
            }
        }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }

    private mutating func scalar() -> Unicode.Scalar {
        switch random.number(0...3) {
        case 0: Unicode.Scalar(UInt8(random.number(0...127)))
        case 1: random.pick(["\u{0}", "\u{FEFF}", "\u{202E}", "\u{301}", "\u{1F9EA}", "\u{10FFFF}", "\u{DF}", "\u{130}", "\n", "\r"])
        default: Unicode.Scalar(UInt32(random.number(0...0x10FFFF))) ?? "\u{FFFD}"
        }
    }
}

private extension String {
    func trimmingPrefixSpaces() -> String { String(drop { $0 == " " }) }
}
