#if canImport(Glibc)
import Glibc
#endif

/// The flags of umount2(2).
public struct UnmountFlags: OptionSet, Sendable, CustomStringConvertible {
    public let rawValue: Int32

    public init(rawValue: Int32) { self.rawValue = rawValue }
    private init(_ flag: Int) { rawValue = Int32(flag) }

    /// Abort pending requests (network filesystems) instead of failing with EBUSY.
    public static let force = UnmountFlags(MNT_FORCE)
    /// Detach now, even if busy; the filesystem goes when its last user does.
    public static let detach = UnmountFlags(MNT_DETACH)
    /// Mark for expiry; a second call unmounts if it was not used in between.
    public static let expire = UnmountFlags(MNT_EXPIRE)
    /// Do not follow a symbolic link as the target.
    public static let noFollow = UnmountFlags(UMOUNT_NOFOLLOW)

    private static let names: [(bits: UInt64, name: String)] = [
        (force, "MNT_FORCE"), (detach, "MNT_DETACH"), (expire, "MNT_EXPIRE"), (noFollow, "UMOUNT_NOFOLLOW"),
    ].map { (UInt64($0.0.rawValue), $0.1) }

    /// `MNT_DETACH`; `0` when empty.
    public var description: String { traceFlags(UInt64(UInt32(bitPattern: rawValue)), Self.names) }
}
