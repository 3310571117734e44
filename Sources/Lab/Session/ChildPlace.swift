import Glibc
import Kernel

/// Where the process being set up between clone and exec stands, for checking the paths the
/// lab sends it (`PathPolicy`'s rule, applied as that process walks paths).
///
/// The process resolves the paths itself, from its own root and current directory and in its
/// own mount namespace (where the overlay it mounted is, while BoxLab sees an empty
/// directory), so BoxLab walks them as it will, through its /proc/PID/root:
/// - Until pivot_root or chroot, its root is BoxLab's and its current directory starts where
///   the learner was. A path is walked beneath /proc/PID/root/<ws>, the workspace as the
///   process sees it: a relative one from the current directory kept here, as the process
///   would walk it (`..` and links left to the kernel's check), an absolute one only when it
///   names the workspace without `..`. The named places outside the workspace are BoxLab's too.
/// - pivot_root and chroot take a directory that passed that check; from then on the kernel
///   keeps the process's own walks below its new root, and BoxLab walks paths beneath
///   /proc/PID/root, inside the workspace. The current directory is known again only when the
///   new root was `.` or after `cd` to an absolute path: after chroot it may be outside the
///   new root, where `..` still climbs, so relative paths are refused until then.
/// - One place outside: `mount --make-[r]private|shared|slave /` before the root moves changes
///   only the propagation of the root mount of the process's own mount namespace.
struct ChildPlace: Sendable {
    /// pivot_root or chroot has moved the process's root.
    var rootMoved = false
    /// The current directory, relative to where paths are walked from (the workspace, then the
    /// process's root); nil when it is not known to be inside.
    var directory: String?

    /// Nothing is being set up.
    init() {}

    /// A process cloned in the learner's current directory.
    init(current: String, workspace: Workspace) {
        directory = PathPolicy.relative(current, below: workspace.root)
    }

    /// Where the process stands after `operation` succeeded.
    mutating func update(after operation: SetupOperation, workspace: Workspace) {
        switch operation {
        case .changeDirectory(let path):
            if path.hasPrefix("/") {
                directory = rootMoved ? String(path.drop { $0 == "/" }) : insideWorkspace(path, workspace)
            } else {
                directory = directory.map { Self.join($0, path) }
            }
        case .pivotRoot(let newRoot, _):
            rootMoved = true
            directory = Self.isCurrent(newRoot) ? "" : nil
        case .changeRoot(let path):
            rootMoved = true
            directory = Self.isCurrent(path) ? "" : nil
        default: break
        }
    }

    /// Where the kernel's check starts: the workspace as the process sees it, or its root.
    func base(pid: Int32, workspace: Workspace) -> String {
        "/proc/\(pid)/root" + (rootMoved ? "" : workspace.root)
    }

    /// `path` relative to `base`, as the process would walk it; nil when it names nothing below it.
    func relative(_ path: String, workspace: Workspace) -> String? {
        if path.hasPrefix("/") { return rootMoved ? String(path.drop { $0 == "/" }) : insideWorkspace(path, workspace) }
        return directory.map { Self.join($0, path) }
    }

    private func insideWorkspace(_ path: String, _ workspace: Workspace) -> String? {
        guard !path.split(separator: "/").contains("..") else { return nil }
        return PathPolicy.relative(normalize(path), below: workspace.root)
    }

    private static func join(_ directory: String, _ path: String) -> String {
        directory.isEmpty ? path : directory + "/" + path
    }

    private static func isCurrent(_ path: String) -> Bool {
        path.split(separator: "/").allSatisfy { $0 == "." } && !path.hasPrefix("/")
    }
}

extension Invocation {
    /// Checks every path `operations` name as the process being set up will walk them, and
    /// returns where it will stand once they are done (see `ChildPlace`).
    func confineInChild(_ operations: [SetupOperation]) throws(CommandError) -> ChildPlace {
        var place = workbench.held.place
        guard let pid = workbench.held.pid, workspace.confined else { return place }
        for operation in operations {
            if !place.rootMoved, isOwnRootPropagation(operation, pid: pid) { continue }
            for named in operation.namedPaths {
                do {
                    guard let relative = place.relative(named.path, workspace: workspace) else {
                        if named.path.hasPrefix("/"), !named.path.split(separator: "/").contains("..") {
                            try workspace.policy.check(normalize(named.path), written: named.path, use: named.use, following: named.following)
                            continue
                        }
                        throw workspace.policy.refusal(named.path, named.path.hasPrefix("/")
                            ? "climbs with '..' in a path the process resolves itself"
                            : "is relative to a current directory that may lie outside the workspace or the process's new root: cd to an absolute path first")
                    }
                    try workspace.policy.walk(place.base(pid: pid, workspace: workspace), relative, written: named.path, following: named.following,
                                              placeName: place.rootMoved ? "the process's root" : "the workspace")
                } catch let refusal as PathRefusal {
                    throw failure(refusal.description)
                } catch {
                    throw failure(named.path, error)
                }
            }
            place.update(after: operation, workspace: workspace)
        }
        return place
    }

    /// `mount --make-rprivate /` and its kind, in a process with a mount namespace of its own.
    private func isOwnRootPropagation(_ operation: SetupOperation, pid: Int32) -> Bool {
        guard case let .mount(nil, target, nil, flags, nil) = operation, normalize(target) == "/",
              !flags.intersection([.private, .shared, .slave, .unbindable]).isEmpty,
              flags.subtracting([.private, .shared, .slave, .unbindable, .recursive]).isEmpty else { return false }
        let own = Trace.untraced { (ProcessTable.namespace("mnt", of: getpid()), ProcessTable.namespace("mnt", of: pid)) }
        return own.0 != nil && own.1 != nil && own.0 != own.1
    }
}

extension SetupOperation {
    /// The paths the call names, what it does with each, and whether it follows a symlink at
    /// the end (calls that make a name act on the name itself). A symlink's target is text.
    var namedPaths: [(path: String, use: PathUse, following: Bool)] {
        var named: [(path: String, use: PathUse, following: Bool)] = []
        _ = mappingPaths { (path, use, following) throws(Never) in
            named.append((path, use, following))
            return path
        }
        return named
    }

    /// The operation with each path it names (in `namedPaths`' order) replaced by what
    /// `transform` makes of it, given what the call does with the path and whether it follows
    /// a symlink at its end: the one place that knows which of an operation's strings are paths.
    func mappingPaths<Failure: Error>(_ transform: (String, PathUse, Bool) throws(Failure) -> String) throws(Failure) -> SetupOperation {
        switch self {
        case let .mount(source, target, fstype, flags, data):
            let target = try transform(target, .write, true)
            // A bound or moved source is written through the target; another is a device name.
            let source = try source.map { source throws(Failure) in flags.isDisjoint(with: [.bind, .move]) ? source : try transform(source, .write, true) }
            let data = try data.map { data throws(Failure) in try mappingPathOptions(data, transform) }
            return .mount(source: source, target: target, fstype: fstype, flags: flags, data: data)
        case let .unmount(path, flags): return .unmount(try transform(path, .write, true), flags: flags)
        case let .makeDirectory(path, permissions, existingIsFine):
            return .makeDirectory(try transform(path, .write, false), permissions: permissions, existingIsFine: existingIsFine)
        case let .makeNode(path, type, permissions, device):
            return .makeNode(try transform(path, .write, false), type: type, permissions: permissions, device: device)
        // touch: where a symlink leads is checked, though the file is opened O_NOFOLLOW.
        case let .createFile(path, permissions): return .createFile(try transform(path, .write, true), permissions: permissions)
        case let .symlink(target, path): return .symlink(target: target, path: try transform(path, .write, false))
        case let .changeMode(path, permissions): return .changeMode(try transform(path, .write, true), permissions: permissions)
        case let .maskPath(path): return .maskPath(try transform(path, .write, true))
        case let .readOnlyPath(path, keeping): return .readOnlyPath(try transform(path, .write, true), keeping: keeping)
        case let .resolveInRoot(root, path): return .resolveInRoot(root: try transform(root, .read, true), path: path)
        case let .changeDirectory(path): return .changeDirectory(try transform(path, .read, true))
        case let .changeRoot(path): return .changeRoot(try transform(path, .read, true))
        case let .pivotRoot(newRoot, putOld):
            return .pivotRoot(newRoot: try transform(newRoot, .write, true), putOld: try transform(putOld, .write, true))
        case .setHostname, .dropBoundingCapability, .setCapabilities, .noNewPrivileges, .loadSeccompFilter, .setUserIDs, .setGroupIDs, .clearSupplementaryGroups,
             .keepCapabilities, .clearKeepCapabilities, .setInheritable, .ambient, .exec:
            return self
        // The process's own /proc/self files, which it may write whatever the path rules say of /proc.
        case .dumpable, .unshare, .writeOwn: return self
        }
    }
}

/// overlay's directory options name paths; mount(8) passes them to the kernel, which resolves
/// them against the caller's current directory: the lower layers are read, the upper and
/// work directories written.
private func mappingPathOptions<Failure: Error>(_ data: String, _ transform: (String, PathUse, Bool) throws(Failure) -> String) throws(Failure) -> String {
    var items: [String] = []
    for item in MountOptions.parse(data).data {
        let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, let use = pathOptionUses[parts[0]] else { items.append(item); continue }
        var paths: [String] = []
        for path in parts[1].split(separator: ":") { paths.append(try transform(String(path), use, true)) }
        items.append(parts[0] + "=" + paths.joined(separator: ":"))
    }
    return items.joined(separator: ",")
}

private let pathOptionUses: [String: PathUse] = ["lowerdir": .read, "upperdir": .write, "workdir": .write]
