import Kernel

/// `ip netns add|del|list|exec`: named network namespaces, kept as iproute2 keeps them.
enum IpNetns {
    static func perform(_ sentence: IprouteWords) throws {
        var sentence = sentence
        let call = sentence.call
        let namespaces = sentence.places.namespaces
        switch sentence.next() ?? "list" {
        case "add":
            let name = try sentence.value(after: "add")
            guard name != NetworkPlaces.host else {
                throw call.failure("\"host\" names the session's own namespace in BoxLab", cause: "choose another name")
            }
            if let problem = NetworkNamespaces.problem(with: name) {
                throw call.failure("\"\(name)\" is not a namespace name", cause: problem)
            }
            do {
                try call.workbench.addNamespace(name, in: namespaces)
            } catch {
                throw sentence.failure("cannot create namespace \"\(name)\"", error)
            }
        case "del", "delete":
            let name = try sentence.value(after: "del")
            call.workbench.clients.forget(name)
            do { try namespaces.delete(name) } catch {
                throw sentence.failure("cannot remove namespace \"\(name)\"", error)
            }
        case "list", "show", "ls":
            for name in (try? namespaces.list()) ?? [] { call.write(name + "\n") }
        case "exec":
            let name = try sentence.value(after: "exec")
            guard !sentence.isEmpty else { throw call.failure("exec needs a command", cause: "ip netns exec NAME COMMAND...") }
            guard (try? namespaces.open(name)) != nil else {
                throw call.failure("cannot open network namespace \"\(name)\": no such namespace", cause: "`ip netns list` shows them")
            }
            try call.perform(Array(sentence.words), in: name)
        case let word:
            throw sentence.unexpected(word, expected: "add, del, list or exec")
        }
    }

    /// The line `ip netns exec NS LINE` performs, from ip's words after its name (`Command.innerLine`).
    static func execLine(_ words: [String]) -> [String]? {
        words.count > 3 && words[0] == "netns" && words[1] == "exec" ? Array(words[3...]) : nil
    }
}
