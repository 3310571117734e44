#if canImport(Glibc)
import Glibc
#endif

/// What `stat(2)` says about an inode.
public struct FileStatus: Sendable, Equatable {
    public var type: FileType
    /// The permission bits with setuid, setgid and sticky: `mode & 0o7777`.
    public var permissions: UInt32
    public var uid: UInt32
    public var gid: UInt32
    public var size: Int64
    public var inode: UInt64
    /// The filesystem the inode lives on, `st_dev`.
    public var device: DeviceNumber
    /// The device a device node stands for, `st_rdev`.
    public var rdev: DeviceNumber
    public var links: UInt64
    /// Last modification, in seconds since the epoch.
    public var modified: Double

    public init(
        type: FileType, permissions: UInt32, uid: UInt32 = 0, gid: UInt32 = 0, size: Int64 = 0,
        inode: UInt64 = 0, device: DeviceNumber = DeviceNumber(major: 0, minor: 0),
        rdev: DeviceNumber = DeviceNumber(major: 0, minor: 0), links: UInt64 = 1, modified: Double = 0
    ) {
        self.type = type
        self.permissions = permissions
        self.uid = uid
        self.gid = gid
        self.size = size
        self.inode = inode
        self.device = device
        self.rdev = rdev
        self.links = links
        self.modified = modified
    }

    init(_ status: stat) {
        // Every inode the kernel hands out has one of the seven types; regular is only a fallback.
        self.init(
            type: FileType(mode: status.st_mode) ?? .regular,
            permissions: status.st_mode & 0o7777,
            uid: status.st_uid,
            gid: status.st_gid,
            size: Int64(status.st_size),
            inode: UInt64(status.st_ino),
            device: DeviceNumber(rawValue: UInt64(status.st_dev)),
            rdev: DeviceNumber(rawValue: UInt64(status.st_rdev)),
            links: UInt64(status.st_nlink),
            modified: Double(status.st_mtim.tv_sec) + Double(status.st_mtim.tv_nsec) / 1e9
        )
    }

    /// A character device numbered 0,0: how overlayfs records a file deleted from a lower layer.
    public var isWhiteout: Bool {
        type == .characterDevice && rdev == DeviceNumber(major: 0, minor: 0)
    }

    /// The mode as `ls -l` prints it, `drwxr-xr-x`, with `s`/`S` and `t`/`T` for the special bits.
    public var modeString: String {
        func triplet(_ shift: UInt32, special: UInt32, mark: Character) -> String {
            let bits = permissions >> shift
            let execute: Character = switch (bits & 1 != 0, permissions & special != 0) {
            case (true, true): mark
            case (false, true): Character(mark.uppercased())
            case (true, false): "x"
            case (false, false): "-"
            }
            return String([bits & 4 != 0 ? "r" : "-", bits & 2 != 0 ? "w" : "-", execute])
        }
        return String(type.letter)
            + triplet(6, special: S_ISUID, mark: "s")
            + triplet(3, special: S_ISGID, mark: "s")
            + triplet(0, special: S_ISVTX, mark: "t")
    }

    /// strace's short form: `{st_mode=S_IFREG|0644, st_size=15, ...}`, the device for device nodes.
    var traceDescription: String {
        let detail = type.isDevice ? "st_rdev=\(rdev.traceDescription)" : "st_size=\(size)"
        return "{st_mode=\(type.traceMode(permissions: permissions)), \(detail), ...}"
    }
}
