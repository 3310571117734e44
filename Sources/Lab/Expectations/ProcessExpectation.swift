import Kernel

/// Assertions about processes and their namespaces. PROC is `$NAME` (a variable holding a
/// pid: `c1=$!`), a pid, or `host`: the session itself (the sandbox, or the machine with
/// --host).
///
///     ns KIND PROC == PROC      (same namespace: equal /proc/PID/ns/KIND inodes)
///     ns KIND PROC != PROC
///     nspid PROC == N           (its pid inside its own PID namespace: NSpid in /proc/PID/status)
///     hostname PROC == "NAME"   (or !=)
///     uid-map PROC == "0 0 1"   (/proc/PID/uid_map, columns single-spaced)
///     process PROC running|ended
///     mount PATH ... in PROC    (the mount table of its mount namespace)
public enum ProcessExpectation: Sendable, Equatable {
    case namespace(kind: NamespaceKind, first: String, second: String, same: Bool)
    case namespacePid(process: String, pid: Int32)
    case hostname(process: String, name: String, equal: Bool)
    case userMap(process: String, map: String)
    case state(process: String, running: Bool)

    var subject: String {
        switch self {
        case .namespace(let kind, let first, let second, _): "ns \(kind) \(first) \(second)"
        case .namespacePid(let process, _): "nspid \(process)"
        case .hostname(let process, _, _): "hostname \(process)"
        case .userMap(let process, _): "uid-map \(process)"
        case .state(let process, _): "process \(process)"
        }
    }
}

enum ProcessExpectationParser {
    static let forms = [
        "ns KIND PROC ==|!= PROC", "nspid PROC == N", "hostname PROC ==|!= \"NAME\"", "uid-map PROC == \"MAP\"",
        "process PROC running|ended",
    ]

    static func parse(_ keyword: String, _ words: [String]) throws(ExpectationError) -> ProcessExpectation {
        let form = forms.first { $0.hasPrefix(keyword + " ") }
        func fail(_ message: String) -> ExpectationError { ExpectationError(message: message, form: form) }
        switch keyword {
        case "ns":
            guard words.count == 4, ["==", "!="].contains(words[2]) else { throw fail("ns takes a kind, a process, == or != and a process") }
            guard let kind = NamespaceKind(word: words[0]) else {
                throw fail("unknown namespace kind '\(words[0])': \(NamespaceKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return .namespace(kind: kind, first: words[1], second: words[3], same: words[2] == "==")
        case "nspid":
            guard words.count == 3, words[1] == "==", let pid = Int32(words[2]) else { throw fail("nspid takes a process, == and a number") }
            return .namespacePid(process: words[0], pid: pid)
        case "hostname":
            guard words.count == 3, ["==", "!="].contains(words[1]) else { throw fail("hostname takes a process, == or != and a name") }
            return .hostname(process: words[0], name: words[2], equal: words[1] == "==")
        case "uid-map":
            guard words.count == 3, words[1] == "==" else { throw fail("uid-map takes a process, == and the map") }
            return .userMap(process: words[0], map: words[2].split(separator: " ").joined(separator: " "))
        default:
            guard words.count == 2, ["running", "ended"].contains(words[1]) else { throw fail("process takes a process and running or ended") }
            return .state(process: words[0], running: words[1] == "running")
        }
    }
}
