/// One object BoxLab is about to create, written to the ledger before it exists so that
/// `boxlab reset` can remove it after a crash, Ctrl-C or SIGKILL.
public enum LedgerEntry: Codable, Sendable, Equatable {
    /// A directory made on the host (the run directory, a host-mode workspace): removed with its contents.
    case directory(path: String)
    /// A mount made in the host's mount namespace; mounts inside a sandbox die with it.
    case mount(target: String)
    /// A session sandbox whose namespaces are bind-mounted under `path`.
    case sandbox(path: String)
    /// A directory made on the host only to mount on (/run/netns): removed if empty.
    /// `made`: this run made it (it may have existed, made by another run or by iproute2).
    case mountPoint(path: String, made: Bool? = nil)
    /// A named network namespace made on the host (`ip netns add` in host mode): its file is
    /// unmounted and removed.
    case networkNamespace(path: String)
    /// A link made in the host's own network namespace (host mode), deleted by name. Only
    /// journaled after BoxLab checked that no link of that name existed.
    case link(name: String)
    /// A program BoxLab started, journaled between its clone and its first instruction; the
    /// start time tells it from a later process that reuses the pid.
    case process(pid: Int32, startTime: UInt64)
    /// A cgroup directory (the lab's cgroup root in one hierarchy): emptied of processes and
    /// removed with the groups below it.
    case cgroup(path: String)
    /// Controllers BoxLab listed in a cgroup.subtree_control (v2): listed out again.
    case cgroupControllers(directory: String, names: [String])
    /// BoxLab moved itself from its cgroup into a leaf below it (v2, to hand controllers to
    /// the lab): what is left there goes back, and the leaf is removed.
    case cgroupLeaf(parent: String, leaf: String)
}

extension LedgerEntry {
    /// The entry as one line of JSON, the way JSONEncoder writes it from the Codable
    /// conformance (`{"process":{"pid":42,"startTime":7}}`) and `Ledger.entries` decodes it.
    /// Written here rather than by JSONEncoder, whose first use costs half a millisecond: an
    /// entry is journaled before every process BoxLab starts, a container's among them.
    var jsonLine: String {
        let (name, fields): (String, [(String, String)]) = switch self {
        case let .directory(path): ("directory", [("path", jsonString(path))])
        case let .mount(target): ("mount", [("target", jsonString(target))])
        case let .sandbox(path): ("sandbox", [("path", jsonString(path))])
        case let .mountPoint(path, made): ("mountPoint", [("path", jsonString(path))] + (made.map { [("made", "\($0)")] } ?? []))
        case let .networkNamespace(path): ("networkNamespace", [("path", jsonString(path))])
        case let .link(name): ("link", [("name", jsonString(name))])
        case let .process(pid, startTime): ("process", [("pid", "\(pid)"), ("startTime", "\(startTime)")])
        case let .cgroup(path): ("cgroup", [("path", jsonString(path))])
        case let .cgroupControllers(directory, names):
            ("cgroupControllers", [("directory", jsonString(directory)), ("names", "[" + names.map(jsonString).joined(separator: ",") + "]")])
        case let .cgroupLeaf(parent, leaf): ("cgroupLeaf", [("parent", jsonString(parent)), ("leaf", jsonString(leaf))])
        }
        return "{" + jsonString(name) + ":{" + fields.map { jsonString($0.0) + ":" + $0.1 }.joined(separator: ",") + "}}"
    }
}

/// A JSON string: quotes, backslashes and control characters escaped.
private func jsonString(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": result += "\\\""
        case "\\": result += "\\\\"
        case "\n": result += "\\n"
        case "\t": result += "\\t"
        case _ where scalar.value < 0x20: result += "\\u00" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
        default: result.unicodeScalars.append(scalar)
        }
    }
    return result + "\""
}
