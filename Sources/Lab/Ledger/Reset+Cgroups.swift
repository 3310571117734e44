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
        var seen = Set<String>()
        let places = paths.compactMap { path -> Cgroup.Place? in
            guard seen.insert(path).inserted, path.split(separator: "/").last?.hasPrefix("boxlab") ?? false,
                  let hierarchy = layout.hierarchy(containing: path) else { return nil }
            return Cgroup.Place(version: hierarchy.version, directory: path)
        }
        return Cgroup.remove(places).map { directory, error in
            error.map { "left cgroup \(directory): \($0)" } ?? "removed cgroup \(directory)"
        }
    }

    /// Undoes the changes to cgroups BoxLab did not make, after the lab's groups are gone:
    /// the controllers it listed in subtree_control first (a cgroup that hands controllers
    /// down takes no processes), then its move into a leaf.
    func restoreCgroups(_ entries: [LedgerEntry]) -> [String] {
        let controllers = entries.reversed().compactMap { entry -> String? in
            guard case .cgroupControllers(let directory, let names) = entry else { return nil }
            return CgroupChange.controllers(directory, names).undo()
        }
        let leaves = entries.reversed().compactMap { entry -> String? in
            guard case .cgroupLeaf(let parent, let leaf) = entry else { return nil }
            return CgroupChange.leaf(parent: parent, leaf: leaf).undo()
        }
        return controllers + leaves
    }
}
