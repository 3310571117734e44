#if canImport(Glibc)
import Glibc
#endif

extension Cgroup {
    /// Empties the group and removes it: everything below it is thawed, its processes are
    /// killed and waited for, and the directories go deepest first. With `keepingSelf` the
    /// group itself stays (empty of processes and groups). Never kills this process or its
    /// ancestors; a group holding them stays.
    ///
    /// The corresponding C functions are `write` (cgroup.kill, freezer.state), `kill` and `rmdir`.
    public func remove(keepingSelf: Bool = false) throws(KernelError) {
        for directory in directories {
            try Self.remove(directory, version: places.values.first { $0.directory == directory }?.version ?? .v1, keepingSelf: keepingSelf)
        }
    }

    /// `remove` for one directory of one hierarchy (what `boxlab reset` has from the ledger).
    public static func remove(_ top: String, version: CgroupVersion, keepingSelf: Bool = false) throws(KernelError) {
        guard exists(top) else { return }
        let tree = try subtree(top)
        // Frozen v1 tasks act on SIGKILL only once thawed; v2's freezer lets it through.
        for directory in tree {
            let state = directory + (version == .v2 ? "/cgroup.freeze" : "/freezer.state")
            if exists(state), (try? read(state)).map({ $0 != "0" && $0 != "THAWED" }) ?? false {
                try write(state, version == .v2 ? "0" : "THAWED")
            }
        }
        try kill(tree, top: top)
        for directory in tree where !(keepingSelf && directory == top) {
            try removeDirectory(directory)
        }
    }

    /// SIGKILL to every process of the tree (v2's cgroup.kill does it in one write, forks
    /// included), then waits up to two seconds for them to leave.
    private static func kill(_ tree: [String], top: String) throws(KernelError) {
        let spared = ProcessTable.ancestry(of: getpid())
        let groupKill = top + "/cgroup.kill"
        for _ in 0..<200 {
            let members = tree.flatMap { (try? processes(in: $0)) ?? [] }
            let victims = members.filter { !spared.contains($0) }
            if victims.isEmpty { return }
            if exists(groupKill) && victims.count == members.count {
                try write(groupKill, "1")
            } else {
                for pid in victims { try? Signals.kill(pid, SIGKILL) }
            }
            usleep(10_000)
        }
    }

    /// An emptied cgroup can still be busy for a moment while its last tasks finish exiting.
    private static func removeDirectory(_ directory: String) throws(KernelError) {
        for attempt in 0..<100 {
            do throws(KernelError) {
                return try FileSystem.rmdir(directory)
            } catch {
                if error.errno == .ENOENT { return }
                if error.errno != .EBUSY || attempt == 99 { throw error }
                usleep(10_000)
            }
        }
    }

    /// `top` and the groups below it, deepest first.
    static func subtree(_ top: String) throws(KernelError) -> [String] {
        var found: [String] = []
        for name in try FileSystem.listDirectory(top) where (try? FileSystem.lstat(top + "/" + name))?.type == .directory {
            found += try subtree(top + "/" + name)
        }
        return found + [top]
    }
}
