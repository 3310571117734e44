#if canImport(Glibc)
import Glibc
#endif

/// The kind of an inode, as the `S_IFMT` bits of its mode say.
public enum FileType: String, Sendable {
    case regular, directory, symlink, characterDevice, blockDevice, fifo, socket

    /// The type's `S_IFMT` bits, the letter `ls -l` prints for it and strace's name for the bits.
    private static let table: [(type: FileType, bits: UInt32, letter: Character, name: String)] = [
        (.regular, S_IFREG, "-", "S_IFREG"),
        (.directory, S_IFDIR, "d", "S_IFDIR"),
        (.symlink, S_IFLNK, "l", "S_IFLNK"),
        (.characterDevice, S_IFCHR, "c", "S_IFCHR"),
        (.blockDevice, S_IFBLK, "b", "S_IFBLK"),
        (.fifo, S_IFIFO, "p", "S_IFIFO"),
        (.socket, S_IFSOCK, "s", "S_IFSOCK"),
    ]

    private var row: (type: FileType, bits: UInt32, letter: Character, name: String) {
        Self.table.first { $0.type == self }!
    }

    /// The type encoded in a `st_mode`; nil for bits the kernel does not define.
    init?(mode: UInt32) {
        guard let row = Self.table.first(where: { $0.bits == mode & S_IFMT }) else { return nil }
        self = row.type
    }

    var modeBits: UInt32 { row.bits }
    var isDevice: Bool { self == .characterDevice || self == .blockDevice }
    var letter: Character { row.letter }

    /// A mode as strace prints it, `S_IFCHR|0644`.
    func traceMode(permissions: UInt32) -> String {
        let special = traceFlags(UInt64(permissions & 0o7000), [
            (UInt64(S_ISUID), "S_ISUID"), (UInt64(S_ISGID), "S_ISGID"), (UInt64(S_ISVTX), "S_ISVTX"),
        ])
        let prefix = special == "0" ? row.name : row.name + "|" + special
        return prefix + "|" + traceOctal(permissions & 0o777)
    }
}

/// Permission bits as strace prints them, `0755` (and `000`).
func traceOctal(_ permissions: UInt32) -> String {
    let text = permissions == 0 ? "0" : "0" + String(permissions, radix: 8)
    return String(repeating: "0", count: max(0, 3 - text.count)) + text
}
