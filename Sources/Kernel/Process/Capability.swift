#if canImport(Glibc)
import Glibc
#endif

/// A Linux capability (capabilities(7)), by its number.
public struct Capability: Sendable, Hashable, Comparable {
    public let number: Int

    /// capability.h's names, in number order.
    private static let names = [
        "CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "KILL", "SETGID", "SETUID",
        "SETPCAP", "LINUX_IMMUTABLE", "NET_BIND_SERVICE", "NET_BROADCAST", "NET_ADMIN", "NET_RAW",
        "IPC_LOCK", "IPC_OWNER", "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE", "SYS_PACCT",
        "SYS_ADMIN", "SYS_BOOT", "SYS_NICE", "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "MKNOD",
        "LEASE", "AUDIT_WRITE", "AUDIT_CONTROL", "SETFCAP", "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG",
        "WAKE_ALARM", "BLOCK_SUSPEND", "AUDIT_READ", "PERFMON", "BPF", "CHECKPOINT_RESTORE",
    ]

    public init(number: Int) { self.number = number }

    /// `CAP_NET_RAW`, `net_raw` or `NET_RAW`.
    public init?(name: String) {
        var name = name.uppercased()
        if name.hasPrefix("CAP_") { name.removeFirst(4) }
        guard let number = Self.names.firstIndex(of: name) else { return nil }
        self.number = number
    }

    /// `CAP_NET_RAW`; a capability newer than this table by its number.
    public var name: String { number < Self.names.count ? "CAP_" + Self.names[number] : "\(number)" }

    public static func < (a: Self, b: Self) -> Bool { a.number < b.number }

    /// The capabilities Docker leaves a container's root (moby's default set).
    public static let containerDefaults: [Capability] = [
        "CHOWN", "DAC_OVERRIDE", "FSETID", "FOWNER", "MKNOD", "NET_RAW", "SETGID", "SETUID", "SETFCAP",
        "SETPCAP", "NET_BIND_SERVICE", "SYS_CHROOT", "KILL", "AUDIT_WRITE",
    ].compactMap { Capability(name: $0) }.sorted()

    /// Every capability a process here can have: this kernel's, less any that BoxLab's own
    /// bounding set lacks (a machine may keep some back from everything on it, as this
    /// project's CI host keeps CAP_SYS_RESOURCE). What `all` means, in `caps`, in its
    /// expectation and for `--privileged`; a process in a user namespace of its own may hold
    /// more there, and holds "all" too.
    public static func held() -> [Capability] {
        let own = Trace.untraced { ProcessCapabilities.of(getpid()) }?[.bounding]
        return all().filter { own?.contains($0) ?? true }
    }

    /// Every capability this kernel knows, 0 through /proc/sys/kernel/cap_last_cap.
    ///
    /// The corresponding C functions are `open` and `read` (of /proc/sys/kernel/cap_last_cap).
    public static func all() -> [Capability] {
        let bytes = Trace.untraced { try? FileSystem.readFile("/proc/sys/kernel/cap_last_cap") } ?? []
        let last = Int(String(decoding: bytes.filter { $0 != UInt8(ascii: "\n") }, as: UTF8.self)) ?? (names.count - 1)
        return (0...last).map(Capability.init(number:))
    }
}
