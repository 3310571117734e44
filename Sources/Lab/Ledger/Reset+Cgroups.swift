import Kernel

extension Reset {
    /// Journaled cgroups, newest first: thawed, emptied of processes, removed deepest first.
    /// Only a lab root named for this run directory inside a cgroup hierarchy is touched, and
    /// only when its inode is the journaled one; a root journaled only as an intent (BoxLab
    /// stopped between the line and the mkdir, or an older ledger) is judged by its name.
    func removeCgroups(_ entries: [LedgerEntry]) -> [String] {
        var paths: [String] = []
        var inodes: [String: UInt64] = [:]
        for case .cgroup(let path, let inode) in entries.reversed() {
            if !paths.contains(path) { paths.append(path) }
            if let inode, inodes[path] == nil { inodes[path] = inode }
        }
        guard !paths.isEmpty, let layout = try? CgroupLayout.detect() else { return [] }
        var done: [String] = []
        let places = paths.compactMap { path -> Cgroup.Place? in
            guard let found = try? FileSystem.lstat(path) else { return nil }
            guard self.places.isCgroupPlace(path, in: layout), let hierarchy = layout.hierarchy(containing: path) else {
                done.append("left cgroup \(path): not a cgroup BoxLab makes for this run directory")
                return nil
            }
            guard found.type == .directory, inodes[path].map({ $0 == found.inode }) ?? true else {
                done.append("left cgroup \(path): not the one BoxLab made")
                return nil
            }
            return Cgroup.Place(version: hierarchy.version, directory: path)
        }
        return done + Cgroup.remove(places).map { directory, error in
            error.map { "left cgroup \(directory): \($0)" } ?? "removed cgroup \(directory)"
        }
    }

    /// Undoes the changes to cgroups BoxLab did not make, after the lab's groups are gone:
    /// the controllers it listed in subtree_control first (a cgroup that hands controllers
    /// down takes no processes), then its move into a leaf.
    /// Only the cgroup a journaled lab root was made in and that root are changed back, and
    /// only BoxLab's own leaf is emptied.
    func restoreCgroups(_ entries: [LedgerEntry]) -> [String] {
        var roots = Set<String>()
        for case .cgroup(let path, _) in entries { roots.insert(path) }
        let parents = Set(roots.map { String($0[..<($0.lastIndex(of: "/") ?? $0.endIndex)]) })
        let controllers = entries.reversed().compactMap { entry -> String? in
            guard case .cgroupControllers(let directory, let names) = entry, roots.contains(directory) || parents.contains(directory) else { return nil }
            return CgroupChange.controllers(directory, names).undo()
        }
        let leaves = entries.reversed().compactMap { entry -> String? in
            guard case .cgroupLeaf(let parent, let leaf) = entry, parents.contains(parent), leaf == CgroupRoot.leaf(of: parent) else { return nil }
            return CgroupChange.leaf(parent: parent, leaf: leaf).undo()
        }
        return controllers + leaves
    }
}
