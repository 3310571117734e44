/// The kinds of namespace, named as /proc/PID/ns names them and lsns(8) lists them.
public enum NamespaceKind: String, Sendable, CaseIterable, Comparable {
    case cgroup, ipc, mnt, net, pid, time, user, uts

    /// Its `CLONE_NEW*` flag (linux/sched.h; Glibc's module does not bring them in).
    public var cloneFlag: Int32 {
        switch self {
        case .cgroup: 0x0200_0000
        case .ipc: 0x0800_0000
        case .mnt: 0x0002_0000
        case .net: 0x4000_0000
        case .pid: 0x2000_0000
        case .time: 0x0000_0080
        case .user: 0x1000_0000
        case .uts: 0x0400_0000
        }
    }

    public var cloneName: String {
        switch self {
        case .mnt: "CLONE_NEWNS"
        default: "CLONE_NEW" + rawValue.uppercased()
        }
    }

    /// What the namespace isolates, in the words of namespaces(7).
    public var isolates: String {
        switch self {
        case .cgroup: "the cgroup root directory"
        case .ipc: "System V IPC and POSIX message queues"
        case .mnt: "mount points"
        case .net: "network devices, stacks and ports"
        case .pid: "process IDs"
        case .time: "boot and monotonic clocks"
        case .user: "user and group IDs"
        case .uts: "hostname and NIS domain name"
        }
    }

    /// A new PID or time namespace holds the caller's children, not the caller: its
    /// /proc/PID/ns/pid_for_children and time_for_children name it first.
    public var forChildren: Bool { self == .pid || self == .time }

    /// Only one thread moves on setns or unshare of these kinds, so a multithreaded process
    /// can do it on a thread of its own (`NamespaceFile.perform`).
    public var perThread: Bool { self == .net || self == .uts || self == .ipc }

    /// The kinds in `flags`, in lsns order.
    public static func kinds(in flags: Int32) -> [NamespaceKind] {
        allCases.filter { flags & $0.cloneFlag != 0 }
    }

    /// Flags rendered as strace does: `CLONE_NEWNS|CLONE_NEWPID`.
    public static func render(_ kinds: [NamespaceKind]) -> String {
        kinds.map(\.cloneName).joined(separator: "|")
    }

    public static func < (lhs: NamespaceKind, rhs: NamespaceKind) -> Bool { lhs.rawValue < rhs.rawValue }
}
