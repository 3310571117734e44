/// A cgroup controller, by the name the kernel gives it in mount options, /proc/self/cgroup
/// and cgroup.controllers.
public enum CgroupController: String, Sendable, CaseIterable, Codable, Comparable {
    case memory, pids, cpu, freezer
    case cpuacct, cpuset, blkio, io, devices, hugetlb, perf_event, net_cls, net_prio, rdma, misc

    /// The controllers a lab's cgroup root is made for.
    public static let lab: [CgroupController] = [.memory, .pids, .cpu, .freezer]

    /// On v2 the freezer is the core file cgroup.freeze, present in every non-root cgroup,
    /// not a controller listed in cgroup.controllers.
    var isCoreOnV2: Bool { self == .freezer }

    public static func < (lhs: CgroupController, rhs: CgroupController) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
