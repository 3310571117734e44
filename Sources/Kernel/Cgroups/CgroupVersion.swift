/// The two interfaces the kernel offers for control groups. A controller is bound to one
/// of them at a time, so on one machine memory may speak v1 while hugetlb speaks v2.
public enum CgroupVersion: String, Sendable, Codable {
    case v1, v2
}

/// How a machine mounts its cgroups: only v1 hierarchies, only the unified cgroup2, or both
/// (systemd's hybrid: v1 controllers, cgroup2 usually at /sys/fs/cgroup/unified).
public enum CgroupMode: String, Sendable {
    case v1, v2, hybrid
}
