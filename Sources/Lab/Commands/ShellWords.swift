/// A file redirection of a command line.
public struct Redirection: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case write = ">", append = ">>", input = "<"
    }

    public var kind: Kind
    public var target: String

    public init(kind: Kind, target: String) {
        self.kind = kind
        self.target = target
    }
}

/// A command line split the way sh would split it.
public struct CommandWords: Sendable, Equatable {
    public var words: [String]
    public var redirections: [Redirection]
    /// The line ended with `&`: the program runs in the background.
    public var background = false

    public init(words: [String], redirections: [Redirection], background: Bool = false) {
        self.words = words
        self.redirections = redirections
        self.background = background
    }
}

/// Why a line is not a BoxLab command; `column` is the 1-based character it concerns.
public struct ShellWordsError: Error, Sendable, Equatable, CustomStringConvertible {
    public var column: Int
    public var message: String

    public init(column: Int, message: String) {
        self.column = column
        self.message = message
    }

    public var description: String { "column \(column): \(message)" }
}

/// Splits a line of BoxLab's command language into words and redirections, in process.
///
/// Learners write commands as they would type them into a shell, so quoting, escaping,
/// comments and redirections follow POSIX sh exactly. No shell ever runs these lines, so
/// anything else sh would act on — pipes, lists, background jobs, command substitution,
/// globs, other file descriptors — is refused rather than passed on as a literal word
/// that would quietly mean something different from what the learner expects.
/// `$NAME`, `${NAME}` and `$!` are expanded, outside single quotes, from `variables`; with
/// none (checking a lab file when it loads), they are kept as written. A `&` that ends the
/// line starts the program in the background.
public enum ShellWords {
    public static func parse(_ line: String, variables: (@Sendable (String) -> String?)? = nil) throws(ShellWordsError) -> CommandWords {
        var scanner = Scanner(Array(line))
        scanner.variables = variables
        try scanner.scan()
        return CommandWords(words: scanner.words, redirections: scanner.redirections, background: scanner.background)
    }

    private static let useSh = "use an sh block for shell features"

    private struct Scanner {
        let characters: [Character]
        var position = 0
        var words: [String] = []
        var redirections: [Redirection] = []
        /// The word being built; nil between words, so that `""` can still make a word.
        var word: String?
        /// Whether the word so far is unquoted digits, which sh reads as a file
        /// descriptor when a redirection operator follows it directly (`1>f`).
        var wordIsDescriptor = false
        /// A redirection operator still waiting for its target word, and its column.
        var pending: (kind: Redirection.Kind, column: Int)?
        var variables: (@Sendable (String) -> String?)?
        var background = false

        init(_ characters: [Character]) {
            self.characters = characters
        }

        var column: Int { position + 1 }

        /// The character after the current one.
        var next: Character? {
            position + 1 < characters.count ? characters[position + 1] : nil
        }

        func refuse(_ message: String, at column: Int? = nil) -> ShellWordsError {
            ShellWordsError(column: column ?? self.column, message: message)
        }

        mutating func scan() throws(ShellWordsError) {
            while position < characters.count {
                let character = characters[position]
                switch character {
                case " ", "\t":
                    try endWord()
                    position += 1
                case "#" where word == nil:
                    // A comment runs to the end of the line.
                    position = characters.count
                case "'":
                    try singleQuoted()
                case "\"":
                    try doubleQuoted()
                case "\\":
                    try escaped()
                case ">", "<":
                    try redirection(character)
                case "$":
                    try dollar()
                case "&" where characters[(position + 1)...].allSatisfy({ $0 == " " || $0 == "\t" }):
                    try endWord()
                    background = true
                    position = characters.count
                default:
                    try refuseOperator(character)
                    append(character)
                    position += 1
                }
            }
            try endWord()
            if let pending {
                throw refuse("'\(pending.kind.rawValue)' needs a file name after it", at: pending.column)
            }
        }

        mutating func append(_ character: Character) {
            wordIsDescriptor = (word == nil || wordIsDescriptor) && character.isASCII && character.isNumber
            // In place: building a new string per character made a long word quadratic.
            if word == nil { word = "" }
            word!.append(character)
        }

        /// A quoted or escaped part makes a word even when it is empty (`""`), and stops
        /// digits before it from naming a file descriptor (`"1">f` writes the word 1).
        mutating func beginQuotedPart() {
            if word == nil { word = "" }
            wordIsDescriptor = false
        }

        mutating func endWord() throws(ShellWordsError) {
            guard let finished = word else { return }
            word = nil
            wordIsDescriptor = false
            guard let (kind, operatorColumn) = pending else {
                words.append(finished)
                return
            }
            guard !finished.isEmpty else {
                throw refuse("'\(kind.rawValue)' needs a file name after it, not an empty string", at: operatorColumn)
            }
            redirections.append(Redirection(kind: kind, target: finished))
            pending = nil
        }

        mutating func singleQuoted() throws(ShellWordsError) {
            let opening = column
            beginQuotedPart()
            position += 1
            while position < characters.count, characters[position] != "'" {
                word! += String(characters[position])
                position += 1
            }
            guard position < characters.count else {
                throw refuse("unterminated single quote: add the closing '", at: opening)
            }
            position += 1
        }

        /// Inside double quotes a backslash escapes only `"`, `\`, `$`, a backtick and a
        /// newline; before any other character it is itself part of the word.
        mutating func doubleQuoted() throws(ShellWordsError) {
            let opening = column
            beginQuotedPart()
            position += 1
            while position < characters.count, characters[position] != "\"" {
                let character = characters[position]
                switch character {
                case "\\" where next == "\n":
                    position += 2
                case "\\" where ["\"", "\\", "$", "`"].contains(next):
                    word! += String(characters[position + 1])
                    position += 2
                case "`":
                    throw refuse("'`' is command substitution: \(useSh)")
                case "$" where next == "(":
                    throw refuse("'$(' is command substitution: \(useSh)")
                case "$":
                    word! += try expansion()
                default:
                    word! += String(character)
                    position += 1
                }
            }
            guard position < characters.count else {
                throw refuse("unterminated double quote: add the closing \"", at: opening)
            }
            position += 1
        }

        /// Outside quotes a backslash makes the next character literal, and a backslash
        /// before a newline joins the lines.
        mutating func escaped() throws(ShellWordsError) {
            guard let next else {
                throw refuse("a backslash at the end of the line escapes nothing: remove it, or write '\\\\' for a backslash")
            }
            if next != "\n" {
                beginQuotedPart()
                word! += String(next)
            }
            position += 2
        }

        mutating func dollar() throws(ShellWordsError) {
            guard next != "(" else {
                throw refuse("'$(' is command substitution: \(useSh)")
            }
            let value = try expansion()
            if word == nil { word = "" }
            wordIsDescriptor = false
            word! += value
        }

        /// `$NAME`, `${NAME}` or `$!` at the current position: its value, or the text as
        /// written when there are no variables. A `$` before anything else is itself.
        mutating func expansion() throws(ShellWordsError) -> String {
            let start = position
            position += 1
            var name = ""
            if at("!") {
                name = "!"
                position += 1
            } else if at("{") {
                guard let close = characters[position...].firstIndex(of: "}") else {
                    throw refuse("'${' needs a closing '}'", at: start + 1)
                }
                name = String(characters[(position + 1)..<close])
                position = close + 1
            } else {
                while position < characters.count, characters[position] == "_" || characters[position].isLetter && characters[position].isASCII
                        || (!name.isEmpty && characters[position].isASCII && characters[position].isNumber) {
                    name.append(characters[position])
                    position += 1
                }
            }
            let written = String(characters[start..<position])
            guard !name.isEmpty else { return written }
            guard let variables else { return written }
            guard let value = variables(name) else {
                throw refuse(name == "!" ? "$! is the last program started with '&': start one first"
                                         : "$\(name) is not set: set it with \(name)=VALUE (\(name)=$! names the last program started with '&')", at: start + 1)
            }
            return value
        }

        func at(_ character: Character) -> Bool {
            position < characters.count && characters[position] == character
        }

        mutating func redirection(_ character: Character) throws(ShellWordsError) {
            var start = column
            if let descriptor = word, wordIsDescriptor {
                start -= descriptor.count
                guard descriptor == (character == ">" ? "1" : "0") else {
                    throw refuse("'\(descriptor)\(character)' redirects file descriptor \(descriptor): BoxLab redirects only standard input and output; \(useSh)", at: start)
                }
                word = nil
                wordIsDescriptor = false
            } else {
                try endWord()
            }
            if let pending {
                throw refuse("'\(pending.kind.rawValue)' needs a file name after it", at: pending.column)
            }
            let kind: Redirection.Kind
            switch (character, next) {
            case (">", ">"):
                kind = .append
                position += 2
            case (_, "&"):
                throw refuse("'\(character)&' duplicates a file descriptor: \(useSh)", at: start)
            case (">", "|"):
                throw refuse("'>|' overrides noclobber: write '>' instead", at: start)
            case ("<", "<"):
                throw refuse("'<<' is a here-document: \(useSh)", at: start)
            case ("<", ">"):
                throw refuse("'<>' opens a file for reading and writing: \(useSh)", at: start)
            default:
                kind = character == ">" ? .write : .input
                position += 1
            }
            pending = (kind, start)
        }

        /// Characters that make sh do something BoxLab does not: they are refused where sh
        /// would act on them, unquoted and unescaped.
        func refuseOperator(_ character: Character) throws(ShellWordsError) {
            switch character {
            case "|":
                throw refuse(next == "|"
                    ? "'||' runs a command only if the previous one failed: \(useSh)"
                    : "'|' is a pipe: BoxLab runs one command per line; \(useSh)")
            case "&":
                switch next {
                case "&": throw refuse("'&&' runs a command only if the previous one succeeded: put each command on its own line, or \(useSh)")
                case ">": throw refuse("'&>' redirects standard output and error: \(useSh)")
                default: throw refuse("'&' starts a program in the background only at the end of the line")
                }
            case ";":
                throw refuse("';' separates commands: put each command on its own line, or \(useSh)")
            case "\n":
                throw refuse("a newline separates commands: put each command on its own line")
            case "`":
                throw refuse("'`' is command substitution: \(useSh)")
            case "(", ")":
                throw refuse("'\(character)' groups commands in a subshell: \(useSh)")
            case "*", "?", "[":
                throw refuse("'\(character)' is a file-name pattern a shell would expand: quote it to mean the character itself, or \(useSh)")
            case "~" where word == nil:
                throw refuse("'~' is a home directory a shell would expand: write the path, or \(useSh)")
            default:
                return
            }
        }
    }
}
