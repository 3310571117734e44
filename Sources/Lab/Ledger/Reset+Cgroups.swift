import Kernel

extension Reset {
    /// Journaled cgroups, newest first: thawed, emptied of processes, removed deepest first.
    /// Only a directory under a cgroup mount with boxlab in its name is touched, whatever the
    /// ledger says.
    func removeCgroups(_ entries: [LedgerEntry]) -> [String] {
        let paths = entries.reversed().compactMap { entry -> String? in
            if case .cgroup(let path) = entry { path } else { nil }
        }
        guard !paths.isEmpty, let layout = try? CgroupLayout.detect() else { return [] }
        var done: [String] = []
        var seen = Set<String>()
        for path in paths where seen.insert(path).inserted && (path.split(separator: "/").last?.hasPrefix("boxlab") ?? false) {
            guard let hierarchy = layout.hierarchy(containing: path), (try? FileSystem.lstat(path)) != nil else { continue }
            do throws(KernelError) {
                try Cgroup.remove(path, version: hierarchy.version)
                done.append("removed cgroup \(path)")
            } catch {
                done.append("left cgroup \(path): \(error)")
            }
        }
        return done
    }
}
