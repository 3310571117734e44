#if canImport(Glibc)
import Glibc
#endif
import Kernel

/// One member of a layer's tar stream: a path relative to the layer's root and what is there.
public struct TarEntry: Sendable, Equatable {
    public enum Content: Sendable, Equatable {
        case directory
        case file([UInt8])
        case symlink(target: String)
        /// A second name for an earlier member of the same layer, by that member's path.
        case hardlink(target: String)
        case device(FileType, DeviceNumber)
        case fifo
    }

    public var path: String
    public var content: Content
    public var permissions: UInt32
    public var uid: UInt32
    public var gid: UInt32

    public init(path: String, content: Content, permissions: UInt32, uid: UInt32 = 0, gid: UInt32 = 0) {
        self.path = path
        self.content = content
        self.permissions = permissions
        self.uid = uid
        self.gid = gid
    }

    /// The `Glibc.S_IFMT` bits tar records for the content.
    var typeBits: UInt32 {
        switch content {
        case .directory: Glibc.S_IFDIR
        case .file, .hardlink: Glibc.S_IFREG
        case .symlink: Glibc.S_IFLNK
        case .device(let type, _): type == .blockDevice ? Glibc.S_IFBLK : Glibc.S_IFCHR
        case .fifo: Glibc.S_IFIFO
        }
    }
}
