import Kernel

extension Workbench {
    /// Where the lab's cgroup root is on this machine; nothing is made. A root already in the
    /// ledger is found there, wherever this process runs.
    public func cgroupRoot(forLab id: String) throws(CgroupError) -> CgroupRoot {
        let journaled = ledger.entries().compactMap { entry -> String? in
            if case .cgroup(let path, _) = entry { path } else { nil }
        }
        return try CgroupRoot.locate(run: run.path, lab: id, layout: try CgroupLayout.detect(), journaled: journaled)
    }

    /// Makes the lab's cgroup root (journaled first) and empties it of earlier groups. Its
    /// `directories` are what the lab offers as `$memory`, `$pids`, `$cpu` and `$freezer`.
    @discardableResult
    public func prepareCgroups(forLab id: String) throws(CgroupError) -> CgroupRoot {
        let root = try prepareCgroupRoot(forLab: id)
        do throws(KernelError) { try root.wipe() } catch {
            throw CgroupError("cannot empty the lab's cgroups: \(error)", kernel: error)
        }
        return root
    }

    /// Makes the cgroup root `id` names (journaled first), keeping what is in it. `root`:
    /// where it is, when the caller has found it.
    func prepareCgroupRoot(forLab id: String, root: CgroupRoot? = nil) throws(CgroupError) -> CgroupRoot {
        let found: CgroupRoot
        if let root { found = root } else { found = try cgroupRoot(forLab: id) }
        let root = found
        try root.prepare(journal: ledger.record)
        return root
    }
}
