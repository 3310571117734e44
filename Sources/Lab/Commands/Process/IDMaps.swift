import Glibc
import Kernel

extension Command {
    /// newuidmap(1), by hand: which uids outside a process's user namespace its uids inside are.
    static let uidmap = idMapCommand(.uid)
    /// newgidmap(1), by hand; unless BoxLab has CAP_SETGID over the ids, `setgroups PID deny` first.
    static let gidmap = idMapCommand(.gid)

    private static func idMapCommand(_ file: UserNamespace.MapFile) -> Command {
        let name = file == .uid ? "uidmap" : "gidmap"
        return Command(
            name, usage: "\(name) PID INSIDE OUTSIDE COUNT [INSIDE OUTSIDE COUNT...]",
            summary: "write /proc/PID/\(file.rawValue) of a process in a new user namespace (once), as new\(name)(1) does"
        ) { call in
            guard call.operands.count >= 4, (call.operands.count - 1) % 3 == 0 else {
                throw call.failure("give a pid and ranges of three numbers", cause: "usage: \(call.command.usage), such as \(name) $c1 0 1000 1")
            }
            let pid = try call.runningPid(call.operands[0])
            var lines: [String] = []
            for at in stride(from: 1, to: call.operands.count, by: 3) {
                let range = call.operands[at..<at + 3]
                guard range.allSatisfy({ UInt32($0) != nil }) else {
                    throw call.failure("'\(range.joined(separator: " "))' is not INSIDE OUTSIDE COUNT", cause: "three numbers: the first id inside, the first outside, how many")
                }
                lines.append(range.joined(separator: " "))
            }
            let writesOwn = call.writesOwnFiles(pid)
            let doing = "cannot write /proc/\(pid)/\(file.rawValue)"
            let cause = { (error: KernelError) in idMapCause(file, pid: pid, lines: lines, writesOwn: writesOwn, error) }
            // A rootless process being set up writes its own, under the rules for an unprivileged writer.
            guard !writesOwn else {
                return try call.perform([.writeOwn(.map(file), lines.map { $0 + "\n" }.joined())], doing) { error, _ in cause(error) }
            }
            do throws(KernelError) { try UserNamespace.writeMap(file, of: pid, lines) } catch {
                throw call.failure(doing, error, cause: cause(error))
            }
        }
    }

    /// Why the kernel refused a map (user_namespaces(7), "Defining user and group ID mappings").
    /// A rootless process writing its own may map one id, its own, and its gid only once
    /// setgroups is denied.
    private static func idMapCause(_ file: UserNamespace.MapFile, pid: Int32, lines: [String], writesOwn: Bool, _ error: KernelError) -> String? {
        let map = Trace.untraced { ProcessTable.idMap(file.rawValue, of: pid) } ?? ""
        let own = Trace.untraced { ProcessTable.idMap(file.rawValue, of: getpid()) } ?? ""
        if error.errno == .EPERM, map.isEmpty, !writesOwn, let outside = unmapped(lines, in: own) {
            let held = ranges(own.split(separator: "\n"), column: 0).map { "\($0.lowerBound)–\($0.upperBound)" }
            return "outside ids \(outside) are not mapped in BoxLab's own user namespace, which has \(held.isEmpty ? "none" : held.joined(separator: ", ")) (its \(file.rawValue): \"\(own.replacing("\n", with: ", "))\", inside outside count): map ids it has"
        }
        switch error.errno {
        case .EPERM where !map.isEmpty: return "a map is written once per user namespace, and \(pid)'s reads \"\(map)\" already"
        case .EPERM where file == .gid && Trace.untraced({ ProcessTable.setgroups(of: pid) }) == "allow":
            return "setgroups is still allowed in that namespace: write setgroups \(pid) deny first (the kernel's rule since Linux 3.19)"
        case .EPERM where writesOwn:
            let id = Trace.untraced { ProcessTable.effectiveID(file == .uid ? "Uid" : "Gid", of: pid) }.map(String.init) ?? "?"
            return "process \(pid) writes its own map, with no privilege outside its namespace: it may map one id, its own, as \"0 \(id) 1\" (a range takes a privileged helper, newuidmap)"
        case .EPERM: return "every outside id must be mapped in BoxLab's own user namespace (see /proc/self/\(file.rawValue)), and the process must be in a user namespace BoxLab's is the parent of"
        case .EINVAL: return "ranges must not overlap, and counts must be above 0"
        default: return nil
        }
    }

    /// The first outside range of `lines` ("INSIDE OUTSIDE COUNT") that `map` (the writer's
    /// own, "INSIDE OUTSIDE COUNT" lines) does not hold, as "FIRST–LAST".
    static func unmapped(_ lines: [String], in map: String) -> String? {
        let held = ranges(map.split(separator: "\n"), column: 0)
        return ranges(lines, column: 1).first { wanted in !held.contains { $0.contains(wanted.lowerBound) && $0.contains(wanted.upperBound) } }
            .map { "\($0.lowerBound)–\($0.upperBound)" }
    }

    /// The ids of one column (0: inside, 1: outside) of map lines, "INSIDE OUTSIDE COUNT".
    private static func ranges<S: StringProtocol>(_ lines: [S], column: Int) -> [ClosedRange<UInt64>] {
        lines.compactMap { line in
            let fields = line.split(separator: " ").compactMap { UInt64($0) }
            return fields.count == 3 && fields[2] > 0 ? fields[column]...(fields[column] + fields[2] - 1) : nil
        }
    }

    /// /proc/PID/setgroups: `deny` keeps setgroups(2) from the namespace, which an unprivileged
    /// gid_map needs first.
    static let setgroups = Command(
        "setgroups", usage: "setgroups PID allow|deny", summary: "allow or deny setgroups(2) in a process's user namespace (deny before an unprivileged gid_map)"
    ) { call in
        try call.requireOperands(2...2)
        guard ["allow", "deny"].contains(call.operands[1]) else { throw call.failure("'\(call.operands[1])' is neither allow nor deny", cause: "usage: \(call.command.usage)") }
        let pid = try call.runningPid(call.operands[0])
        let allowed = call.operands[1] == "allow"
        let doing = "cannot write /proc/\(pid)/setgroups"
        let cause = { (error: KernelError) in
            error.errno == .EPERM ? "it can be written only before the gid_map, and deny is for good (nor may it be allow where the parent namespace denies it)" : nil
        }
        guard !call.writesOwnFiles(pid) else {
            return try call.perform([.writeOwn(.setgroups, allowed ? "allow" : "deny")], doing) { error, _ in cause(error) }
        }
        do throws(KernelError) { try UserNamespace.setSetgroups(of: pid, allowed: allowed) } catch {
            throw call.failure(doing, error, cause: cause(error))
        }
    }
}

extension Invocation {
    /// The uid outside its namespaces (as BoxLab sees it) of the process being set up, when
    /// that is not 0 (`clone --reuid`): a rootless start, with no privilege outside.
    var unprivilegedHeldUID: UInt32? {
        guard let pid = workbench.held.pid, let uid = Trace.untraced({ ProcessTable.effectiveID("Uid", of: pid) }), uid != 0 else { return nil }
        return uid
    }

    /// Whether `pid` is the process being set up and no longer root outside: nothing
    /// privileged writes the files of a rootless start's user namespace, so it writes its own,
    /// and the kernel's rules for an unprivileged writer apply.
    func writesOwnFiles(_ pid: Int32) -> Bool {
        workbench.held.pid == pid && unprivilegedHeldUID != nil
    }
}
