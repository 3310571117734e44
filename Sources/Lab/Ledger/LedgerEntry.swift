/// One object BoxLab made on the machine, journaled with what identifies it once it exists,
/// so that `boxlab reset` can remove it after a crash, Ctrl-C or SIGKILL. A line is a claim,
/// never a licence: reset acts on an entry only after checking that the object there is the
/// one the line describes, and only in the places BoxLab makes things (`ResetPlaces`).
/// Lines of an older BoxLab, which carry no identity, do not decode and are ignored.
public enum LedgerEntry: Codable, Sendable, Equatable {
    /// A directory made on the host (a host-mode workspaces directory), below the run
    /// directory: removed with its contents.
    case directory(path: String, device: String, inode: UInt64)
    /// A mount made in the host's mount namespace (mountinfo's id and device of the mount
    /// on top at `target` right after the call); mounts inside a sandbox die with it.
    case mount(target: String, mountID: Int, device: String)
    /// The sandbox's workspace on a disk filesystem (`DiskWorkspace`), outside the run
    /// directory: removed with its contents, never through a symbolic link.
    case workspace(path: String, device: String, inode: UInt64)
    /// A session sandbox whose namespaces are bind-mounted under `path`.
    case sandbox(path: String)
    /// A directory made on the host only to mount on (/run/netns): removed if empty.
    /// `made`: this run made it (it may have existed, made by another run or by iproute2).
    case mountPoint(path: String, made: Bool? = nil)
    /// A named network namespace made on the host (`ip netns add` in host mode), with the
    /// inode of the namespace bound on its file: unmounted and removed.
    case networkNamespace(path: String, inode: UInt64)
    /// A symbolic link made in /run/netns (`ln -s /proc/PID/ns/net /run/netns/NAME`, host
    /// mode), with the link's own inode: removed.
    case namespaceLink(path: String, inode: UInt64)
    /// A link made in the host's own network namespace (host mode), deleted by its index.
    /// Journaled first without the index (an intent: BoxLab checked that no link of that
    /// name existed and is about to make it), then with it.
    case link(name: String, index: Int32? = nil)
    /// A program BoxLab started, journaled between its clone and its first instruction; the
    /// start time tells it from a later process that reuses the pid.
    case process(pid: Int32, startTime: UInt64)
    /// A cgroup directory (the lab's cgroup root in one hierarchy): emptied of processes and
    /// removed with the groups below it. Journaled before the mkdir without its inode, then
    /// with it.
    case cgroup(path: String, inode: UInt64? = nil)
    /// Controllers BoxLab listed in a cgroup.subtree_control (v2): listed out again.
    case cgroupControllers(directory: String, names: [String])
    /// BoxLab moved itself from its cgroup into a leaf below it (v2, to hand controllers to
    /// the lab): what is left there goes back, and the leaf is removed.
    case cgroupLeaf(parent: String, leaf: String)
    /// An nf_tables table made in the host's own namespace (host mode), `family` being its
    /// `NFPROTO_*` number: deleted by its handle, with everything in it, when the table with
    /// that handle still has the name. Journaled first without the handle (an intent: no
    /// table of that name existed and BoxLab is about to make it), then with it.
    case nfTable(family: UInt8, name: String, handle: UInt64? = nil)
    /// A chain BoxLab made in a table it did not make (Docker's `nat`): emptied and deleted
    /// by its handle when the chain with that handle still has the name. Intent, then handle.
    case nfChain(family: UInt8, table: String, name: String, handle: UInt64? = nil)
    /// A rule BoxLab added to a chain it did not make: deleted by its handle in that table and
    /// chain. Journaled first without the handle: a crash before it leaves a rule reset
    /// cannot tell from the others, so it is reported.
    case nfRule(family: UInt8, table: String, chain: String, handle: UInt64? = nil)
    /// A `net.*` parameter of the host's own namespace (`sysctl` in host mode): `original` is
    /// its value before BoxLab's first change, `value` what BoxLab is about to set; it is
    /// set back to `original` while it still holds BoxLab's last value.
    case sysctl(name: String, original: String, value: String)
    /// A seccomp filter BoxLab loaded into a process (its instructions' bytes in hex): nothing
    /// to undo, as it goes with the process, but what `denied CALL in PROC` reads, since
    /// only the host's CAP_SYS_ADMIN may read a filter back out of the kernel.
    case seccompFilter(pid: Int32, startTime: UInt64, instructions: String)
}

extension LedgerEntry {
    /// The entry as one line of JSON, the way JSONEncoder writes it from the Codable
    /// conformance (`{"process":{"pid":42,"startTime":7}}`) and `Ledger.entries` decodes it.
    /// Written here rather than by JSONEncoder, whose first use costs half a millisecond: an
    /// entry is journaled before every process BoxLab starts, a container's among them.
    var jsonLine: String {
        let (name, fields): (String, [(String, String)]) = switch self {
        case let .directory(path, device, inode): ("directory", [("path", jsonString(path)), ("device", jsonString(device)), ("inode", "\(inode)")])
        case let .mount(target, mountID, device): ("mount", [("target", jsonString(target)), ("mountID", "\(mountID)"), ("device", jsonString(device))])
        case let .workspace(path, device, inode): ("workspace", [("path", jsonString(path)), ("device", jsonString(device)), ("inode", "\(inode)")])
        case let .sandbox(path): ("sandbox", [("path", jsonString(path))])
        case let .mountPoint(path, made): ("mountPoint", [("path", jsonString(path))] + (made.map { [("made", "\($0)")] } ?? []))
        case let .networkNamespace(path, inode): ("networkNamespace", [("path", jsonString(path)), ("inode", "\(inode)")])
        case let .namespaceLink(path, inode): ("namespaceLink", [("path", jsonString(path)), ("inode", "\(inode)")])
        case let .link(name, index): ("link", [("name", jsonString(name))] + (index.map { [("index", "\($0)")] } ?? []))
        case let .process(pid, startTime): ("process", [("pid", "\(pid)"), ("startTime", "\(startTime)")])
        case let .cgroup(path, inode): ("cgroup", [("path", jsonString(path))] + (inode.map { [("inode", "\($0)")] } ?? []))
        case let .cgroupControllers(directory, names):
            ("cgroupControllers", [("directory", jsonString(directory)), ("names", "[" + names.map(jsonString).joined(separator: ",") + "]")])
        case let .cgroupLeaf(parent, leaf): ("cgroupLeaf", [("parent", jsonString(parent)), ("leaf", jsonString(leaf))])
        case let .nfTable(family, name, handle):
            ("nfTable", [("family", "\(family)"), ("name", jsonString(name))] + (handle.map { [("handle", "\($0)")] } ?? []))
        case let .nfChain(family, table, name, handle):
            ("nfChain", [("family", "\(family)"), ("table", jsonString(table)), ("name", jsonString(name))] + (handle.map { [("handle", "\($0)")] } ?? []))
        case let .nfRule(family, table, chain, handle):
            ("nfRule", [("family", "\(family)"), ("table", jsonString(table)), ("chain", jsonString(chain))] + (handle.map { [("handle", "\($0)")] } ?? []))
        case let .sysctl(name, original, value): ("sysctl", [("name", jsonString(name)), ("original", jsonString(original)), ("value", jsonString(value))])
        case let .seccompFilter(pid, startTime, instructions):
            ("seccompFilter", [("pid", "\(pid)"), ("startTime", "\(startTime)"), ("instructions", jsonString(instructions))])
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
