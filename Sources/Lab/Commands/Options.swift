/// An option a command accepts, as getopt_long would describe it.
struct OptionSpec: Sendable {
    let short: Character?
    let long: String?
    let takesValue: Bool
    /// The name the parsed result is stored under: the long name, or the short letter.
    var key: String { long ?? String(short!) }

    static func flag(_ short: Character?, _ long: String? = nil) -> OptionSpec {
        OptionSpec(short: short, long: long, takesValue: false)
    }

    static func value(_ short: Character?, _ long: String? = nil) -> OptionSpec {
        OptionSpec(short: short, long: long, takesValue: true)
    }
}

public struct ParsedOptions: Sendable {
    var flags: Set<String> = []
    var values: [String: [String]] = [:]
    public var operands: [String] = []

    init(operands: [String] = []) {
        self.operands = operands
    }

    func has(_ key: String) -> Bool { flags.contains(key) }
    func value(_ key: String) -> String? { values[key]?.last }
    func allValues(_ key: String) -> [String] { values[key] ?? [] }

    /// Parses `words` the way GNU getopt does: clustered short flags (`-rf`), attached or
    /// separate values (`-toverlay`, `-t overlay`, `--type=overlay`), `--` ends options, and
    /// options may follow operands.
    static func parse(_ words: [String], specs: [OptionSpec], command: String, endAtFirstOperand: Bool = false) throws -> ParsedOptions {
        var parsed = ParsedOptions()
        var index = 0
        func unknown(_ option: String) -> CommandError {
            let known = specs.map { spec in
                [spec.short.map { "-\($0)" }, spec.long.map { "--\($0)" }].compactMap { $0 }.joined(separator: "/")
            }
            return CommandError(message: "\(command): unknown option \(option)",
                                cause: known.isEmpty ? "it takes no options" : "it knows " + known.joined(separator: ", "))
        }
        func store(_ spec: OptionSpec, _ value: String?) {
            if let value { parsed.values[spec.key, default: []].append(value) } else { parsed.flags.insert(spec.key) }
        }
        func needValue(_ spec: OptionSpec, _ option: String) throws -> String {
            index += 1
            guard index < words.count else { throw CommandError(message: "\(command): option \(option) needs a value") }
            return words[index]
        }
        while index < words.count {
            let word = words[index]
            if word == "--" {
                parsed.operands += words[(index + 1)...]
                break
            } else if word.hasPrefix("--") {
                // Not omitting empty parts: `--=` and `--type=` have them.
                let parts = word.dropFirst(2).split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let name = String(parts[0])
                guard let spec = specs.first(where: { $0.long == name }) else { throw unknown(word) }
                if spec.takesValue {
                    store(spec, parts.count == 2 ? String(parts[1]) : try needValue(spec, word))
                } else {
                    guard parts.count == 1 else { throw CommandError(message: "\(command): option --\(name) takes no value") }
                    store(spec, nil)
                }
            } else if word.hasPrefix("-"), word.count > 1, Int(word) == nil {
                var letters = word.dropFirst()
                while let letter = letters.first {
                    letters = letters.dropFirst()
                    guard let spec = specs.first(where: { $0.short == letter }) else { throw unknown("-\(letter)") }
                    if spec.takesValue {
                        store(spec, letters.isEmpty ? try needValue(spec, "-\(letter)") : String(letters))
                        break
                    }
                    store(spec, nil)
                }
            } else if endAtFirstOperand {
                parsed.operands += words[index...]
                break
            } else {
                parsed.operands.append(word)
            }
            index += 1
        }
        return parsed
    }
}
