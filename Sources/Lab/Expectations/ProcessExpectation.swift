import Kernel

/// Assertions about processes and their namespaces. PROC is `$NAME` (a variable holding a
/// pid: `c1=$!`), a pid, or `host`: the session itself (the sandbox, or the machine with
/// --host).
///
///     ns KIND PROC == PROC      (same namespace: equal /proc/PID/ns/KIND inodes)
///     ns KIND PROC != PROC
///     nspid PROC == N           (its pid inside its own PID namespace: NSpid in /proc/PID/status)
///     hostname PROC == "NAME"   (or !=)
///     uid_map PROC == "0 0 1"   (/proc/PID/uid_map, columns single-spaced; also uid-map)
///     gid_map PROC == "0 0 1"
///     caps PROC SET == LIST     (SET: eff, prm, inh, bnd, amb or effective…; LIST: none, all, or
///                                names as capsh writes them, comma-separated: chown,cap_kill,NET_RAW)
///     no_new_privs PROC         (NoNewPrivs: 1 in /proc/PID/status)
///     process PROC running|ended
///     mount PATH ... in PROC    (the mount table of its mount namespace)
public enum ProcessExpectation: Sendable, Equatable {
    case namespace(kind: NamespaceKind, first: String, second: String, same: Bool)
    case namespacePid(process: String, pid: Int32)
    case hostname(process: String, name: String, equal: Bool)
    case idMap(process: String, file: UserNamespace.MapFile, map: String)
    case capabilities(process: String, set: ProcessCapabilities.Kind, value: CapabilityList)
    case noNewPrivileges(process: String)
    case state(process: String, running: Bool)

    /// What a `caps` expectation wants a set to hold.
    public enum CapabilityList: Sendable, Equatable {
        /// Every capability this kernel has (0 through cap_last_cap).
        case all
        case exactly(CapabilitySet)
    }

    var subject: String {
        switch self {
        case .namespace(let kind, let first, let second, _): "ns \(kind) \(first) \(second)"
        case .namespacePid(let process, _): "nspid \(process)"
        case .hostname(let process, _, _): "hostname \(process)"
        case .idMap(let process, let file, _): "\(file.rawValue) \(process)"
        case .capabilities(let process, let set, _): "caps \(process) \(set.shortName)"
        case .noNewPrivileges(let process): "no_new_privs \(process)"
        case .state(let process, _): "process \(process)"
        }
    }
}

enum ProcessExpectationParser {
    static let forms = [
        "ns KIND PROC ==|!= PROC", "nspid PROC == N", "hostname PROC ==|!= \"NAME\"", "uid-map PROC == \"MAP\"",
        "uid_map PROC == \"MAP\"", "gid_map PROC == \"MAP\"", "caps PROC eff|prm|inh|bnd|amb == none|all|CAP,CAP...", "no_new_privs PROC",
        "process PROC running|ended",
    ]

    /// The keywords this parser takes.
    static let keywords: Set<String> = ["ns", "nspid", "hostname", "uid-map", "uid_map", "gid_map", "caps", "no_new_privs", "process"]

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
        case "uid-map", "uid_map", "gid_map":
            guard words.count == 3, words[1] == "==" else { throw fail("\(keyword) takes a process, == and the map") }
            let lines = words[2].split(separator: "\n").map { $0.split(separator: " ") }
            guard !lines.isEmpty, lines.allSatisfy({ $0.count == 3 && $0.allSatisfy { UInt32($0) != nil } }) else {
                throw fail("'\(words[2])' is not a map: INSIDE OUTSIDE COUNT, three numbers (lines apart)")
            }
            return .idMap(process: words[0], file: keyword == "gid_map" ? .gid : .uid, map: lines.map { $0.joined(separator: " ") }.joined(separator: "\n"))
        case "caps":
            guard words.count == 4, words[2] == "==" else { throw fail("caps takes a process, a set, == and a list") }
            guard let set = ProcessCapabilities.Kind(word: words[1]) else {
                throw fail("unknown capability set '\(words[1])': eff, prm, inh, bnd or amb")
            }
            return .capabilities(process: words[0], set: set, value: try capabilityList(words[3], fail))
        case "no_new_privs":
            guard words.count == 1 else { throw fail("no_new_privs takes a process") }
            return .noNewPrivileges(process: words[0])
        default:
            guard words.count == 2, ["running", "ended"].contains(words[1]) else { throw fail("process takes a process and running or ended") }
            return .state(process: words[0], running: words[1] == "running")
        }
    }

    /// `none`, `all`, or names with or without `cap_`, comma-separated.
    private static func capabilityList(_ text: String, _ fail: (String) -> ExpectationError) throws(ExpectationError) -> ProcessExpectation.CapabilityList {
        switch text {
        case "all": return .all
        case "none": return .exactly(CapabilitySet(mask: 0))
        default:
            var capabilities: [Capability] = []
            for name in text.split(separator: ",", omittingEmptySubsequences: false) {
                guard let capability = Capability(name: String(name)) else {
                    throw fail("unknown capability '\(name)': names are those of capabilities(7), such as chown or cap_net_raw")
                }
                capabilities.append(capability)
            }
            return .exactly(CapabilitySet(capabilities))
        }
    }
}
