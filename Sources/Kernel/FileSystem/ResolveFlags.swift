#if canImport(Glibc)
import Glibc
#endif

/// How openat2 may walk a path (`struct open_how`'s `resolve`): the kernel's own answer to
/// "does this name stay inside that directory", immune to `..` and symlinks that lead out.
public struct ResolveFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt64
    public init(rawValue: UInt64) { self.rawValue = rawValue }

    /// No mount point crossed.
    public static let noCrossingMounts = ResolveFlags(rawValue: 0x01)
    /// No /proc/PID/fd-style "magic" links followed.
    public static let noMagicLinks = ResolveFlags(rawValue: 0x02)
    /// No symlink followed at all.
    public static let noSymlinks = ResolveFlags(rawValue: 0x04)
    /// Every component, `..` and symlink targets included, stays below the starting
    /// directory; a walk that would leave it fails with EXDEV.
    public static let beneath = ResolveFlags(rawValue: 0x08)
    /// The starting directory is the root for this walk (absolute symlinks land in it).
    public static let inRoot = ResolveFlags(rawValue: 0x10)

    static let names: [(bits: UInt64, name: String)] = [
        (0x01, "RESOLVE_NO_XDEV"), (0x02, "RESOLVE_NO_MAGICLINKS"), (0x04, "RESOLVE_NO_SYMLINKS"),
        (0x08, "RESOLVE_BENEATH"), (0x10, "RESOLVE_IN_ROOT"),
    ]
}

/// open(2)'s O_PATH, which Swift's Glibc module leaves out (it needs _GNU_SOURCE): a
/// descriptor that names a place without opening the file for reading or writing.
let O_PATH: Int32 = 0o10000000
