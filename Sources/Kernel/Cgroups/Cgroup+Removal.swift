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
        let unique = directories.compactMap { directory in places.values.first { $0.directory == directory } }
        if let failure = Self.remove(unique, keepingSelf: keepingSelf).lazy.compactMap(\.error).first { throw failure }
    }

    /// `remove` for directories of any hierarchies at once (what `boxlab reset` has from the
    /// ledger). All are thawed before any is killed: a task frozen by the v1 freezer ignores
    /// SIGKILL, whichever hierarchy the kill is sent from. Returns each directory's outcome.
    public static func remove(_ tops: [Place], keepingSelf: Bool = false) -> [(directory: String, error: KernelError?)] {
        let trees = tops.filter { exists($0.directory) }.map { top in
            (top: top, tree: (try? subtree(top.directory)) ?? [top.directory])
        }
        for (top, tree) in trees {
            for directory in tree {
                let state = directory + (top.version == .v2 ? "/cgroup.freeze" : "/freezer.state")
                if exists(state), (try? read(state)).map({ $0 != "0" && $0 != "THAWED" }) ?? false {
                    try? write(state, top.version == .v2 ? "0" : "THAWED")
                }
            }
        }
        return trees.map { top, tree in
            do throws(KernelError) {
                try kill(tree, top: top.directory)
                for directory in tree where !(keepingSelf && directory == top.directory) {
                    try removeDirectory(directory)
                }
                return (top.directory, nil)
            } catch {
                return (top.directory, error)
            }
        }
    }

    /// SIGKILL to every process of the tree (v2's cgroup.kill does it in one write, forks
    /// included), then waits up to five seconds for them to leave: a killed process stays
    /// listed, and its cgroup busy, until its parent (init, for an orphan) reaps it.
    private static func kill(_ tree: [String], top: String) throws(KernelError) {
        let spared = ProcessTable.ancestry(of: getpid())
        let groupKill = top + "/cgroup.kill"
        for _ in 0..<500 {
            let members = tree.flatMap { (try? processes(in: $0)) ?? [] }
            if members.allSatisfy(spared.contains) { return }
            let victims = members.filter { !spared.contains($0) && !ProcessTable.hasEnded($0) }
            if exists(groupKill) && !victims.isEmpty && victims.count == members.count {
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
