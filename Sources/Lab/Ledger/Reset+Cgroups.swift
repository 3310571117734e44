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

    /// Undoes the changes to cgroups BoxLab did not make (subtree_control, its own move into
    /// a leaf), newest first, after the lab's groups are gone.
    func restoreCgroups(_ entries: [LedgerEntry]) -> [String] {
        entries.reversed().compactMap { entry -> String? in
            switch entry {
            case .cgroupControllers(let directory, let names): CgroupChange.controllers(directory, names).undo()
            case .cgroupLeaf(let parent, let leaf): CgroupChange.leaf(parent: parent, leaf: leaf).undo()
            default: nil
            }
        }
    }
}
