import Kernel

extension Command {
    /// `NAME=VALUE` alone on a line sets a session variable, as in sh: `c1=$!` keeps the pid
    /// of the program just started with `&`, for `$c1` in later commands and expectations.
    static func assignment(_ words: CommandWords) -> Command? {
        guard words.words.count == 1, words.redirections.isEmpty, !words.background,
              let equals = words.words[0].firstIndex(of: "="), Variables.isName(words.words[0][..<equals]) else { return nil }
        let name = String(words.words[0][..<equals])
        let value = String(words.words[0][words.words[0].index(after: equals)...])
        return Command("\(name)=", usage: "NAME=VALUE", summary: "set a variable: $NAME is VALUE in later lines") { call in
            do { try call.workbench.variables.set(name, value) } catch {
                throw call.failure("cannot keep \(name)", error)
            }
        }
    }
}
