#if canImport(Glibc)
import Glibc
#endif
import CBoxLab

/// A call a started process makes on itself between clone and exec: how a container runtime
/// builds the container's root, hostname and privileges from inside (runc's
/// rootfs_linux.go, crun's linux.c). The C launcher runs them in order, in the child.
public enum SetupOperation: Sendable, Equatable {
    case mount(source: String?, target: String, fstype: String?, flags: MountFlags, data: String?)
    case unmount(String, flags: UnmountFlags)
    /// `existingIsFine`: as `mkdir -p` does for each component.
    case makeDirectory(String, permissions: UInt32, existingIsFine: Bool)
    case makeNode(String, type: FileType, permissions: UInt32, device: DeviceNumber)
    /// An empty regular file, the target of a file bind mount.
    case createFile(String, permissions: UInt32)
    case symlink(target: String, path: String)
    case changeMode(String, permissions: UInt32)
    case changeDirectory(String)
    case pivotRoot(newRoot: String, putOld: String)
    case changeRoot(String)
    case setHostname(String)
    /// Removes one capability from the bounding set, so no exec can regain it.
    case dropBoundingCapability(Capability)
    /// The effective, permitted and inheritable sets, all three `keep`.
    case setCapabilities(keep: [Capability])
    case noNewPrivileges
    /// Installs a seccomp filter: from then on the kernel asks it about every system call
    /// the process and its children make. Without no_new_privs it takes CAP_SYS_ADMIN.
    case loadSeccompFilter(SeccompFilter)
    /// setresuid(2) with one uid for all three: what setpriv --reuid and a runtime's `user` do.
    case setUserIDs(UInt32)
    /// setresgid(2), likewise.
    case setGroupIDs(UInt32)
    /// setgroups(2) with no groups: root's supplementary groups would stay with a new gid.
    case clearSupplementaryGroups
    /// PR_SET_KEEPCAPS: the permitted set survives the change from uid 0 to another (until exec).
    case keepCapabilities
    /// PR_SET_KEEPCAPS 0, once the ids are changed: runc's ClearKeepCaps, so that a later change
    /// of uid clears the permitted set as the kernel's rules say.
    case clearKeepCapabilities
    /// The inheritable set, its other members kept: capget, then capset with `add` raised and
    /// `remove` cleared.
    case setInheritable(add: CapabilitySet, remove: CapabilitySet)
    /// PR_CAP_AMBIENT: a capability kept across the exec of an unprivileged program.
    case ambient(AmbientChange)
    /// runc's maskPath: /dev/null bound over a file, or, where that fails with ENOTDIR, a
    /// read-only tmpfs over a directory; skipped where the kernel has no such path.
    case maskPath(String)
    /// runc's readonlyPath: the path bound on itself, then remounted read-only with `keeping`
    /// (the flags of the mount it is in, which a bind remount would otherwise clear);
    /// skipped where the kernel has no such path.
    case readOnlyPath(String, keeping: MountFlags)
    /// Fails unless `path`, walked from `root` as if it were `/`, is a directory reached
    /// without a symlink: what runc's securejoin makes sure of before it mounts a volume, so a
    /// target the image leads elsewhere creates nothing outside the container's root.
    case resolveInRoot(root: String, path: String)
    /// PR_SET_DUMPABLE 1: a change of ids made the process undumpable, which makes its /proc
    /// files root's until an exec; a runtime sets it back so that it can still write its own.
    case dumpable
    /// unshare(2): the process itself moves into new namespaces, as an unprivileged one must
    /// (it cannot have clone's parent make them for it), the user namespace first.
    case unshare([NamespaceKind])
    /// One of the process's own user-namespace files written by the process itself: the
    /// kernel's rules for an unprivileged writer then apply (its own id only, setgroups
    /// denied before the gid_map), as `unshare --map-root-user` writes them.
    case writeOwn(UserNamespace.OwnFile, String)
    /// Replaces the process; `path` is as the process sees it, after any pivot_root.
    case exec(path: String, arguments: [String], environment: [String])

    /// How PR_CAP_AMBIENT changes the ambient set.
    public enum AmbientChange: Sendable, Equatable {
        case raise(Capability), lower(Capability), clearAll

        /// prctl's second argument (linux/prctl.h).
        var operation: UInt64 {
            switch self {
            case .raise: 2
            case .lower: 3
            case .clearAll: 4
            }
        }
    }

    /// The call as strace shows it.
    public var traced: (call: String, arguments: [String]) {
        switch self {
        case let .mount(source, target, fstype, flags, data):
            ("mount", [source.map(tracePath) ?? "NULL", tracePath(target), Mounts.nullOrQuoted(fstype), flags.description,
                       Mounts.nullOrQuoted(data, limit: .max)])
        case let .unmount(target, flags): ("umount2", [tracePath(target), flags.description])
        case let .makeDirectory(path, permissions, _): ("mkdir", [tracePath(path), "0" + String(permissions, radix: 8)])
        case let .makeNode(path, type, permissions, device):
            ("mknod", [tracePath(path), type.traceMode(permissions: permissions)] + (type.isDevice ? [device.traceDescription] : []))
        case let .createFile(path, permissions):
            ("openat", ["AT_FDCWD", tracePath(path), "O_WRONLY|O_CREAT|O_NOFOLLOW|O_CLOEXEC", "0" + String(permissions, radix: 8)])
        case let .symlink(target, path): ("symlink", [tracePath(target), tracePath(path)])
        case let .changeMode(path, permissions): ("chmod", [tracePath(path), "0" + String(permissions, radix: 8)])
        case let .changeDirectory(path): ("chdir", [tracePath(path)])
        case let .pivotRoot(newRoot, putOld): ("pivot_root", [tracePath(newRoot), tracePath(putOld)])
        case let .changeRoot(path): ("chroot", [tracePath(path)])
        case let .setHostname(name): ("sethostname", [traceQuote(name), "\(name.utf8.count)"])
        case let .dropBoundingCapability(capability): ("prctl", ["PR_CAPBSET_DROP", capability.name])
        case let .setCapabilities(keep):
            ("capset", ["{version=_LINUX_CAPABILITY_VERSION_3, pid=0}", Self.capabilitySets(keep)])
        case .noNewPrivileges: ("prctl", ["PR_SET_NO_NEW_PRIVS", "1", "0", "0", "0"])
        case let .loadSeccompFilter(filter):
            ("seccomp", ["SECCOMP_SET_MODE_FILTER", "0", "{len=\(filter.instructions.count), filter=0x…}"])
        case let .setUserIDs(uid): ("setresuid", ["\(uid)", "\(uid)", "\(uid)"])
        case let .setGroupIDs(gid): ("setresgid", ["\(gid)", "\(gid)", "\(gid)"])
        case .clearSupplementaryGroups: ("setgroups", ["0", "[]"])
        case .keepCapabilities: ("prctl", ["PR_SET_KEEPCAPS", "1", "0", "0", "0"])
        case .clearKeepCapabilities: ("prctl", ["PR_SET_KEEPCAPS", "0", "0", "0", "0"])
        // What capget returns is the child's: only the call is shown.
        case .setInheritable: ("capget", ["{version=_LINUX_CAPABILITY_VERSION_3, pid=0}", "{…}"])
        case let .ambient(change):
            switch change {
            case let .raise(capability): ("prctl", ["PR_CAP_AMBIENT", "PR_CAP_AMBIENT_RAISE", capability.name, "0", "0"])
            case let .lower(capability): ("prctl", ["PR_CAP_AMBIENT", "PR_CAP_AMBIENT_LOWER", capability.name, "0", "0"])
            case .clearAll: ("prctl", ["PR_CAP_AMBIENT", "PR_CAP_AMBIENT_CLEAR_ALL", "0", "0", "0"])
            }
        case let .maskPath(path): ("mount", ["\"/dev/null\"", tracePath(path), "NULL", MountFlags.bind.description, "NULL"])
        case let .readOnlyPath(path, _):
            ("mount", [tracePath(path), tracePath(path), "NULL", MountFlags([.bind, .recursive]).description, "NULL"])
        case let .resolveInRoot(root, path):
            // The root's descriptor is shown as `strace -y` decorates one, by its path.
            ("openat2", ["<\(root)>", tracePath(path),
                         "{flags=O_RDONLY|O_NOFOLLOW|O_CLOEXEC|O_DIRECTORY|O_PATH, resolve=RESOLVE_NO_MAGICLINKS|RESOLVE_NO_SYMLINKS|RESOLVE_IN_ROOT}", "24"])
        case .dumpable: ("prctl", ["PR_SET_DUMPABLE", "1", "0", "0", "0"])
        case let .unshare(kinds): ("unshare", [kinds.map(\.cloneName).joined(separator: "|")])
        // The descriptor shown as `strace -y` decorates one, by its path.
        case let .writeOwn(file, text): ("write", ["<\(file.path)>", traceQuote(text), "\(text.utf8.count)"])
        case let .exec(path, arguments, environment):
            ("execve", [tracePath(path), "[" + arguments.map { traceQuote($0) }.joined(separator: ", ") + "]", "0x… /* \(environment.count) vars */"])
        }
    }

    /// The second call of a masked or read-only path (launch.h's BOXLAB_CALL_OP_FOLLOW_UP).
    public var followUp: (call: String, arguments: [String])? {
        switch self {
        case let .maskPath(path): ("mount", ["\"tmpfs\"", tracePath(path), "\"tmpfs\"", MountFlags.readOnly.description, "NULL"])
        case let .readOnlyPath(path, keeping):
            ("mount", [tracePath(path), tracePath(path), "NULL", keeping.union([.bind, .remount, .readOnly]).description, "NULL"])
        case let .setInheritable(add, remove):
            // The effective and permitted sets go back as capget gave them.
            ("capset", ["{version=_LINUX_CAPABILITY_VERSION_3, pid=0}", "{effective=…, permitted=…, inheritable=\(Self.inheritableChange(add, remove))}"])
        default: nil
        }
    }

    /// Whether a first call that failed with `errno` is how the operation goes on, not a
    /// failure: a path this kernel lacks, a masked directory (which gets the tmpfs).
    public func continues(after errno: Errno) -> Bool {
        switch self {
        case .maskPath: errno == .ENOENT || errno == .ENOTDIR
        case .readOnlyPath: errno == .ENOENT
        default: false
        }
    }

    /// The new inheritable set: its names once it no longer depends on the old one.
    private static func inheritableChange(_ add: CapabilitySet, _ remove: CapabilitySet) -> String {
        let added = add.capabilities.map(\.name).joined(separator: "|")
        guard remove.mask != .max else { return added.isEmpty ? "0" : added }
        let removed = remove.capabilities.map { "~" + $0.name }
        return (["…"] + (added.isEmpty ? [] : [added]) + removed).joined(separator: "|")
    }

    private static func capabilitySets(_ keep: [Capability]) -> String {
        let set = keep.isEmpty ? "0" : keep.map(\.name).joined(separator: "|")
        return "{effective=\(set), permitted=\(set), inheritable=\(set)}"
    }

    /// The operation as launch.h's boxlab_setup_op and its strings.
    func encode(into bytes: inout [UInt8]) {
        let (kind, strings, number, flags): (boxlab_setup_kind, [String], UInt64, UInt64) = switch self {
        case let .mount(source, target, fstype, flags, data):
            (BOXLAB_OP_MOUNT, [source ?? "", target, fstype ?? "", data ?? ""], 0, UInt64(flags.rawValue))
        case let .unmount(target, flags): (BOXLAB_OP_UMOUNT, [target], 0, UInt64(UInt32(bitPattern: flags.rawValue)))
        case let .makeDirectory(path, permissions, existingIsFine):
            (BOXLAB_OP_MKDIR, [path], UInt64(permissions), existingIsFine ? 1 : 0)
        case let .makeNode(path, type, permissions, device):
            (BOXLAB_OP_MKNOD, [path], UInt64(type.modeBits | permissions), UInt64(device.rawValue))
        case let .createFile(path, permissions): (BOXLAB_OP_CREATE_FILE, [path], UInt64(permissions), 0)
        case let .symlink(target, path): (BOXLAB_OP_SYMLINK, [target, path], 0, 0)
        case let .changeMode(path, permissions): (BOXLAB_OP_CHMOD, [path], UInt64(permissions), 0)
        case let .changeDirectory(path): (BOXLAB_OP_CHDIR, [path], 0, 0)
        case let .pivotRoot(newRoot, putOld): (BOXLAB_OP_PIVOT_ROOT, [newRoot, putOld], 0, 0)
        case let .changeRoot(path): (BOXLAB_OP_CHROOT, [path], 0, 0)
        case let .setHostname(name): (BOXLAB_OP_SETHOSTNAME, [name], 0, 0)
        case let .dropBoundingCapability(capability): (BOXLAB_OP_CAPBSET_DROP, [], UInt64(capability.number), 0)
        case let .setCapabilities(keep): (BOXLAB_OP_CAPSET, [], keep.reduce(0) { $0 | (1 << UInt64($1.number)) }, 0)
        case .noNewPrivileges: (BOXLAB_OP_NO_NEW_PRIVS, [], 0, 0)
        case let .loadSeccompFilter(filter):
            (BOXLAB_OP_SECCOMP, [filter.hex], UInt64(filter.instructions.count), 0)
        case let .setUserIDs(uid): (BOXLAB_OP_SETRESUID, [], UInt64(uid), 0)
        case let .setGroupIDs(gid): (BOXLAB_OP_SETRESGID, [], UInt64(gid), 0)
        case .clearSupplementaryGroups: (BOXLAB_OP_CLEAR_GROUPS, [], 0, 0)
        case .keepCapabilities: (BOXLAB_OP_KEEPCAPS, [], 1, 0)
        case .clearKeepCapabilities: (BOXLAB_OP_KEEPCAPS, [], 0, 0)
        case let .setInheritable(add, remove): (BOXLAB_OP_CAP_INHERITABLE, [], add.mask, remove.mask)
        case let .ambient(change):
            switch change {
            case let .raise(capability), let .lower(capability): (BOXLAB_OP_CAP_AMBIENT, [], UInt64(capability.number), change.operation)
            case .clearAll: (BOXLAB_OP_CAP_AMBIENT, [], 0, change.operation)
            }
        case let .maskPath(path): (BOXLAB_OP_MASK, [path], 0, 0)
        case let .readOnlyPath(path, keeping): (BOXLAB_OP_READONLY, [path], 0, UInt64(keeping.rawValue))
        case let .resolveInRoot(root, path): (BOXLAB_OP_RESOLVE_IN_ROOT, [root, path], 0, 0)
        case .dumpable: (BOXLAB_OP_DUMPABLE, [], 0, 0)
        case let .unshare(kinds): (BOXLAB_OP_UNSHARE, [], UInt64(UInt32(bitPattern: kinds.reduce(0) { $0 | $1.cloneFlag })), 0)
        case let .writeOwn(file, text): (BOXLAB_OP_WRITE_OWN, [file.path, text], 0, 0)
        case let .exec(path, arguments, environment):
            (BOXLAB_OP_EXEC, [path] + arguments + environment, UInt64(arguments.count), 0)
        }
        let text: [UInt8] = strings.flatMap { Array($0.utf8) + [0] }
        var header = boxlab_setup_op()
        header.kind = kind.rawValue
        header.strings = UInt32(strings.count)
        header.size = UInt32(text.count)
        header.number = number
        header.flags = flags
        withUnsafeBytes(of: header) { raw in bytes.append(contentsOf: raw) }
        bytes.append(contentsOf: text)
    }

    static func batch(_ operations: [SetupOperation]) -> [UInt8] {
        var bytes: [UInt8] = []
        for operation in operations { operation.encode(into: &bytes) }
        return bytes
    }
}
