import FoundationEssentials
import Kernel
import Lab

/// Tab completion: REPL commands and the command language first, then what a REPL command
/// offers for its operands (`ReplCommand.operands`: lab ids after `open`…), and workspace
/// paths everywhere else.
struct Completion {
    let repl: ReplSession

    func candidates(_ request: CompletionRequest) -> [String] {
        let before = request.line.prefix(request.wordStart).split(separator: " ").map(String.init)
        let word = request.word
        guard let first = before.first else {
            return ReplSession.commandNames.filter { $0.hasPrefix(word) }.sorted()
        }
        guard let offered = ReplSession.commands.first(where: { $0.names.contains(first) })?.operands?(repl, before) else { return paths(word) }
        return offered.filter { $0.hasPrefix(word) }
    }

    /// Entries of the directory the word names, relative to the current directory; directories end in "/".
    private func paths(_ word: String) -> [String] {
        let slash = word.lastIndex(of: "/")
        let directoryPart = slash.map { String(word[...$0]) } ?? ""
        let prefix = slash.map { String(word[word.index(after: $0)...]) } ?? word
        let directory = repl.session.workspace.resolve(directoryPart.isEmpty ? "." : directoryPart)
        let names = Trace.untraced { (try? FileSystem.listDirectory(directory)) ?? [] }
        return names.filter { $0.hasPrefix(prefix) && (!$0.hasPrefix(".") || prefix.hasPrefix(".")) }.sorted().map { name in
            let isDirectory = Trace.untraced { (try? FileSystem.stat(directory + "/" + name))?.type == .directory }
            return directoryPart + name + (isDirectory ? "/" : "")
        }
    }
}
