import Kernel

/// How a layer's tar says that something of the layers below is gone, and what overlayfs
/// wants instead. A tar cannot hold overlayfs's own markers portably (a 0,0 device, a
/// `trusted.` xattr), so the OCI format names them with the `.wh.` prefix, as AUFS did.
public enum Whiteout: Sendable, Equatable {
    /// `DIR/.wh.NAME`: NAME is deleted. overlayfs: a character device 0,0 named NAME.
    case deleted(name: String)
    /// `DIR/.wh..wh..opq`: DIR hides everything below it. overlayfs: `trusted.overlay.opaque=y` on DIR.
    case opaque

    public static let prefix = ".wh."
    public static let opaqueMarker = ".wh..wh..opq"
    /// The attribute overlayfs reads here (`user.overlay.opaque` in BoxLab's sandbox, where
    /// overlay mounts take `userxattr`).
    public static var opaqueAttribute: String { UserNamespace.overlayAttributePrefix + "opaque" }
    /// Both forms, for reading a directory made by either.
    public static let opaqueAttributes = ["trusted.overlay.opaque", "user.overlay.opaque"]

    /// What the last component of a member's path marks; nil for an ordinary name.
    public init?(name: String) {
        if name == Self.opaqueMarker {
            self = .opaque
        } else if name.hasPrefix(Self.prefix), name.count > Self.prefix.count {
            self = .deleted(name: String(name.dropFirst(Self.prefix.count)))
        } else {
            return nil
        }
    }

    /// The member that deletes `path` in a layer: `etc/hostname` → `etc/.wh.hostname`.
    public static func entryPath(deleting path: String) -> String {
        let components = path.split(separator: "/").map(String.init)
        return (components.dropLast() + [prefix + (components.last ?? "")]).joined(separator: "/")
    }
}
