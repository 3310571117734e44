/// One object BoxLab is about to create, written to the ledger before it exists so that
/// `boxlab reset` can remove it after a crash, Ctrl-C or SIGKILL.
public enum LedgerEntry: Codable, Sendable, Equatable {
    /// A directory made on the host (the run directory, a host-mode workspace): removed with its contents.
    case directory(path: String)
    /// A mount made in the host's mount namespace; mounts inside a sandbox die with it.
    case mount(target: String)
    /// A session sandbox whose namespaces are bind-mounted under `path`.
    case sandbox(path: String)
    /// A directory made on the host only to mount on (/run/netns): removed if empty.
    /// `made`: this run made it (it may have existed, made by another run or by iproute2).
    case mountPoint(path: String, made: Bool? = nil)
    /// A named network namespace made on the host (`ip netns add` in host mode): its file is
    /// unmounted and removed.
    case networkNamespace(path: String)
    /// A link made in the host's own network namespace (host mode), deleted by name. Only
    /// journaled after BoxLab checked that no link of that name existed.
    case link(name: String)
    /// A program BoxLab started, journaled between its clone and its first instruction; the
    /// start time tells it from a later process that reuses the pid.
    case process(pid: Int32, startTime: UInt64)
    /// A cgroup directory (the lab's cgroup root in one hierarchy): emptied of processes and
    /// removed with the groups below it.
    case cgroup(path: String)
    /// Controllers BoxLab listed in a cgroup.subtree_control (v2): listed out again.
    case cgroupControllers(directory: String, names: [String])
    /// BoxLab moved itself from its cgroup into a leaf below it (v2, to hand controllers to
    /// the lab): what is left there goes back, and the leaf is removed.
    case cgroupLeaf(parent: String, leaf: String)
}
