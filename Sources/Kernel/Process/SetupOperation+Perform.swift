#if canImport(Glibc)
import Glibc
#endif

extension SetupOperation {
    /// Makes the call in this process, through the same funnel as every other call of
    /// BoxLab's (traced as the call itself, not `[pid N] call`): what a setup operation is
    /// when no process is being set up. Only the operations that change the filesystem or the
    /// UTS namespace BoxLab shares with the lab may be made here; the others (pivot_root,
    /// exec, the ids, capabilities and filters) would change BoxLab itself, and are made by
    /// a process being set up only (`HeldProcess.run`, the launch prologue).
    ///
    /// The corresponding C functions are those of the operation: `mount`, `umount2`,
    /// `mkdir`, `mknod`, `openat` and `close`, `symlink`, `chmod`, `sethostname`.
    public func perform() throws {
        switch self {
        case let .mount(source, target, fstype, flags, data):
            try Mounts.mount(source: source, target: target, fstype: fstype, flags: flags, data: data)
        case let .unmount(target, flags): try Mounts.unmount(target, flags: flags)
        case let .makeDirectory(path, permissions, existingIsFine):
            // As mkdir -p: a directory already there is fine (the executor skips those it
            // sees, so this is only a race with another maker).
            do throws(KernelError) { try FileSystem.mkdir(path, mode: permissions) } catch {
                guard existingIsFine, error.errno == .EEXIST,
                      (try? Trace.untraced({ () throws(KernelError) in try FileSystem.stat(path) }))?.type == .directory else { throw error }
            }
        case let .makeNode(path, type, permissions, device):
            try FileSystem.mknod(path, type: type, permissions: permissions, device: device)
        case let .createFile(path, permissions):
            try OpenFile.open(path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, mode: permissions).close()
        case let .symlink(target, path): try FileSystem.symlink(target, at: path)
        case let .changeMode(path, permissions): try FileSystem.chmod(path, permissions: permissions)
        case let .setHostname(name): try Hostname.set(name)
        default: throw ChildOnlyOperation(call: traced.call)
        }
    }

    /// Whether only a process being set up makes the call: made by BoxLab, it would change
    /// BoxLab's own root, ids, privileges, filter or program.
    public var needsProcessBeingSetUp: Bool {
        switch self {
        case .mount, .unmount, .makeDirectory, .makeNode, .createFile, .symlink, .changeMode, .setHostname: false
        default: true
        }
    }
}

/// A setup operation that only a process being set up makes: made by BoxLab, it would change
/// BoxLab's own root, ids, privileges or program.
public struct ChildOnlyOperation: Error, Sendable, CustomStringConvertible {
    public let call: String

    public var description: String { "\(call) is made by a process being set up (clone), never by BoxLab itself" }
}
