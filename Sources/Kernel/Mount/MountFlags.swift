#if canImport(Glibc)
import Glibc
#endif

/// The `MS_*` flags of mount(2): how to mount, or which change to make to an existing mount.
public struct MountFlags: OptionSet, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt

    public init(rawValue: UInt) { self.rawValue = rawValue }
    private init(_ flag: Int) { rawValue = UInt(flag) }

    public static let readOnly = MountFlags(MS_RDONLY)
    public static let noSuid = MountFlags(MS_NOSUID)
    public static let noDev = MountFlags(MS_NODEV)
    public static let noExec = MountFlags(MS_NOEXEC)
    public static let synchronous = MountFlags(MS_SYNCHRONOUS)
    public static let remount = MountFlags(MS_REMOUNT)
    public static let mandatoryLock = MountFlags(MS_MANDLOCK)
    public static let dirSync = MountFlags(MS_DIRSYNC)
    public static let noSymFollow = MountFlags(MS_NOSYMFOLLOW)
    public static let noAtime = MountFlags(MS_NOATIME)
    public static let noDirAtime = MountFlags(MS_NODIRATIME)
    public static let bind = MountFlags(MS_BIND)
    public static let move = MountFlags(MS_MOVE)
    public static let recursive = MountFlags(MS_REC)
    public static let silent = MountFlags(MS_SILENT)
    public static let posixACL = MountFlags(MS_POSIXACL)
    public static let unbindable = MountFlags(MS_UNBINDABLE)
    public static let `private` = MountFlags(MS_PRIVATE)
    public static let slave = MountFlags(MS_SLAVE)
    public static let shared = MountFlags(MS_SHARED)
    public static let relatime = MountFlags(MS_RELATIME)
    public static let kernMount = MountFlags(MS_KERNMOUNT)
    public static let iVersion = MountFlags(MS_I_VERSION)
    public static let strictAtime = MountFlags(MS_STRICTATIME)
    public static let lazyTime = MountFlags(MS_LAZYTIME)

    /// In bit order, as strace prints them.
    private static let names: [(bits: UInt64, name: String)] = [
        (readOnly, "MS_RDONLY"), (noSuid, "MS_NOSUID"), (noDev, "MS_NODEV"), (noExec, "MS_NOEXEC"),
        (synchronous, "MS_SYNCHRONOUS"), (remount, "MS_REMOUNT"), (mandatoryLock, "MS_MANDLOCK"),
        (dirSync, "MS_DIRSYNC"), (noSymFollow, "MS_NOSYMFOLLOW"), (noAtime, "MS_NOATIME"),
        (noDirAtime, "MS_NODIRATIME"), (bind, "MS_BIND"), (move, "MS_MOVE"), (recursive, "MS_REC"),
        (silent, "MS_SILENT"), (posixACL, "MS_POSIXACL"), (unbindable, "MS_UNBINDABLE"),
        (`private`, "MS_PRIVATE"), (slave, "MS_SLAVE"), (shared, "MS_SHARED"), (relatime, "MS_RELATIME"),
        (kernMount, "MS_KERNMOUNT"), (iVersion, "MS_I_VERSION"), (strictAtime, "MS_STRICTATIME"),
        (lazyTime, "MS_LAZYTIME"),
    ].map { (UInt64($0.0.rawValue), $0.1) }

    /// `MS_BIND|MS_REC`; `0` when empty; bits with no name in hex.
    public var description: String { traceFlags(UInt64(rawValue), Self.names) }
}
