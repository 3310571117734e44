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
    /// Replaces the process; `path` is as the process sees it, after any pivot_root.
    case exec(path: String, arguments: [String], environment: [String])

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
        case let .exec(path, arguments, environment):
            ("execve", [tracePath(path), "[" + arguments.map { traceQuote($0) }.joined(separator: ", ") + "]", "0x… /* \(environment.count) vars */"])
        }
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
