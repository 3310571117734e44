import Kernel

extension Command {
    /// lsns(8), BoxLab's own: every namespace a process is in, from the /proc/PID/ns/* links;
    /// two processes share a namespace iff the numbers (nsfs inodes) are equal.
    static let lsns = Command(
        "lsns", usage: "lsns [-t TYPE] [-p PID]", summary: "list namespaces (from /proc/*/ns)",
        options: [.value("t", "type"), .value("p", "task")]
    ) { call in
        try call.requireOperands(0...0)
        var kinds = NamespaceKind.allCases
        if let type = call.options.value("type") {
            guard let kind = NamespaceKind(word: type) else {
                throw call.failure("unknown namespace type: \(type)", cause: "the types are \(NamespaceKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            kinds = [kind]
        }
        var only: [NamespaceKind: UInt64]?
        if let task = call.options.value("task") {
            guard let pid = Int32(task), !Trace.untraced({ ProcessTable.hasEnded(pid) }) else {
                throw call.failure("process \(task) does not exist", cause: "ls /proc shows the running ones")
            }
            try call.requireOwn(pid)
            // The links themselves are what lsns reads: shown, so the learner sees where the numbers come from.
            var inodes: [NamespaceKind: UInt64] = [:]
            for kind in kinds {
                _ = try? FileSystem.readlink("/proc/\(pid)/ns/\(kind.rawValue)")
                inodes[kind] = Trace.untraced { ProcessTable.namespace(kind.rawValue, of: pid) }
            }
            only = inodes
        }
        let rows = Trace.untraced { NamespaceListing.take(kinds: kinds) }
            .filter { row in only.map { $0[row.kind] == row.inode } ?? true }
        call.write(NamespaceListing.render(rows))
    }
}

/// One row of lsns: a namespace, how many processes are in it, and the first of them.
struct NamespaceListing {
    var inode: UInt64
    var kind: NamespaceKind
    var processes: Int
    var pid: Int32
    var command: String

    static func take(kinds: [NamespaceKind]) -> [NamespaceListing] {
        var rows: [String: NamespaceListing] = [:]
        for pid in ProcessTable.pids().sorted() {
            for kind in kinds {
                guard let inode = ProcessTable.namespace(kind.rawValue, of: pid) else { continue }
                let key = "\(kind):\(inode)"
                if rows[key] == nil {
                    rows[key] = NamespaceListing(inode: inode, kind: kind, processes: 0, pid: pid, command: ProcessTable.commandLine(of: pid))
                }
                rows[key]!.processes += 1
            }
        }
        // By kind first: a process's rows read in the same order on every machine.
        return rows.values.sorted { ($0.kind, $0.inode) < ($1.kind, $1.inode) }
    }

    static func render(_ rows: [NamespaceListing]) -> String {
        var text = "        NS TYPE   NPROCS   PID COMMAND\n"
        for row in rows {
            text += pad(String(row.inode), 10) + " " + row.kind.rawValue.padding(toWidth: 6)
                + " " + pad(String(row.processes), 6) + " " + pad(String(row.pid), 5) + " " + row.command + "\n"
        }
        return text
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }
}
