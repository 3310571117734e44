#if canImport(Glibc)
import Glibc
#endif

/// Which system calls a seccomp filter treats how: a default action and, before it, rules
/// naming calls. A call named by two rules takes the first, as the filter compares in order.
public struct SeccompProfile: Sendable, Equatable {
    public struct Rule: Sendable, Equatable {
        public var action: SeccompAction
        public var calls: [SystemCall]

        public init(_ action: SeccompAction, _ calls: [SystemCall]) {
            self.action = action
            self.calls = calls
        }
    }

    public var defaultAction: SeccompAction
    public var rules: [Rule]

    public init(defaultAction: SeccompAction, rules: [Rule]) {
        self.defaultAction = defaultAction
        self.rules = rules
    }
}

extension SeccompProfile {
    /// What Docker's default profile (moby's profiles/seccomp/default.json, an allow list)
    /// leaves out for a container without added capabilities, written as a deny list: the
    /// kernel's module, clock, keyring, swap, reboot and mount calls, new namespaces (`clone`
    /// with namespace flags is also denied there, by an argument filter this syntax does not
    /// have), NUMA placement, BPF, perf and userfaultfd. `clone3` gets ENOSYS, so that libc
    /// falls back to `clone`, whose flags a filter can see.
    public static let dockerDefault = SeccompProfile(defaultAction: .allow, rules: [
        Rule(.errno(Errno(ENOSYS)), ["clone3"].compactMap(SystemCall.init(name:))),
        Rule(.errno(.EPERM), [
            "acct", "add_key", "bpf", "clock_adjtime", "clock_settime", "create_module", "delete_module", "finit_module",
            "get_kernel_syms", "get_mempolicy", "init_module", "ioperm", "iopl", "kexec_file_load", "kexec_load", "keyctl",
            "lookup_dcookie", "mbind", "mount", "move_pages", "name_to_handle_at", "nfsservctl", "open_by_handle_at",
            "perf_event_open", "pivot_root", "query_module", "quotactl", "reboot", "request_key", "set_mempolicy", "setns",
            "settimeofday", "swapon", "swapoff", "sysfs", "_sysctl", "umount2", "unshare", "uselib", "userfaultfd", "ustat",
            "fsopen", "fsconfig", "fsmount", "fspick", "open_tree", "move_mount",
        ].compactMap(SystemCall.init(name:))),
    ])
}
