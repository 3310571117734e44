/// One line of /proc/PID/mountinfo (proc(5)): a mount as the kernel describes it.
public struct MountInfoEntry: Sendable, Equatable {
    public var mountID: Int
    public var parentID: Int
    /// The `st_dev` of files in the mount.
    public var device: DeviceNumber
    /// The directory of the filesystem that is mounted here; not `/` for bind mounts of a subtree.
    public var root: String
    /// Relative to the reading process's root.
    public var mountPoint: String
    /// Per-mount options, `rw,nosuid,relatime`.
    public var mountOptions: [String]
    /// `shared:N`, `master:N`, `propagate_from:N`, `unbindable`.
    public var optionalFields: [String]
    public var fstype: String
    public var source: String
    /// Per-superblock options, shared by every mount of the filesystem: `rw,lowerdir=…`.
    public var superOptions: [String]

    public init(
        mountID: Int, parentID: Int, device: DeviceNumber, root: String, mountPoint: String,
        mountOptions: [String], optionalFields: [String], fstype: String, source: String, superOptions: [String]
    ) {
        self.mountID = mountID
        self.parentID = parentID
        self.device = device
        self.root = root
        self.mountPoint = mountPoint
        self.mountOptions = mountOptions
        self.optionalFields = optionalFields
        self.fstype = fstype
        self.source = source
        self.superOptions = superOptions
    }

    /// A mount that is both shared and a slave (`shared:2 master:1`) reports `.shared`;
    /// `peerGroup` and `masterGroup` tell the whole story.
    public var propagation: Propagation {
        if peerGroup != nil { return .shared }
        if masterGroup != nil { return .slave }
        return optionalFields.contains("unbindable") ? .unbindable : .private
    }

    /// The peer group of a shared mount, the N of `shared:N`.
    public var peerGroup: Int? { optionalField("shared") }

    /// The peer group a slave mount receives events from, the N of `master:N`.
    public var masterGroup: Int? { optionalField("master") }

    /// The value of a super option: `"lowerdir"` gives its value, a bare flag such as `"xino"` gives
    /// `""`, an absent one nil.
    public func superOption(_ name: String) -> String? {
        for option in superOptions {
            if option == name { return "" }
            if option.hasPrefix(name + "=") { return String(option.dropFirst(name.count + 1)) }
        }
        return nil
    }

    public var isReadOnly: Bool { mountOptions.contains("ro") }

    /// An overlay's lower layers, top first, as given at mount time. mountinfo shows `lowerdir`
    /// as it was passed, with overlayfs's own escapes (`\:`, `\,`, `\\`) still in it; they are
    /// removed here.
    public var lowerDirectories: [String] {
        guard let value = superOption("lowerdir") else { return [] }
        var layers: [String] = []
        var current = ""
        var escaped = false
        for character in value {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == ":" {
                layers.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        layers.append(current)
        return layers
    }

    private func optionalField(_ tag: String) -> Int? {
        optionalFields.lazy.compactMap { field in
            field.hasPrefix(tag + ":") ? Int(field.dropFirst(tag.count + 1)) : nil
        }.first
    }
}
