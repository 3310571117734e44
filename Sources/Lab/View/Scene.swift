import Kernel

/// What the pictures show: the session's kernel state as BoxLab sees it at one moment — its
/// network, the mounts in the workspace, the lab's cgroups and the session's processes with
/// their namespaces. Read after a step, and compared with the one before it (`changes(from:)`)
/// to show what the step changed.
public struct Scene: Sendable, Equatable {
    /// A mount in the workspace, its paths as the learner sees them (`<ws>/merged`).
    public struct Mount: Sendable, Equatable {
        public var mountID: Int
        public var point: String
        public var fstype: String
        public var source: String
        /// The directory of the filesystem that is mounted here: not `/` for a bind mount of a subtree.
        public var root: String
        public var readOnly: Bool
        /// An overlay's directories, from its super options.
        public var overlay: Overlay?

        public init(mountID: Int, point: String, fstype: String, source: String, root: String = "/", readOnly: Bool = false, overlay: Overlay? = nil) {
            self.mountID = mountID
            self.point = point
            self.fstype = fstype
            self.source = source
            self.root = root
            self.readOnly = readOnly
            self.overlay = overlay
        }

        /// `overlay`, `bind` (a subtree mounted elsewhere), or the filesystem type (`tmpfs`, `proc`).
        public var kind: String { fstype == "overlay" ? "overlay" : root != "/" ? "bind" : fstype }
    }

    /// An overlay mount's layers: `lower` top first, as overlayfs stacks them.
    public struct Overlay: Sendable, Equatable {
        public var lower: [String]
        /// nil for a read-only stack of lower layers only.
        public var upper: String?
        public var work: String?

        public init(lower: [String], upper: String? = nil, work: String? = nil) {
            self.lower = lower
            self.upper = upper
            self.work = work
        }
    }

    /// One of the lab's cgroups, with what it limits and uses. A value the machine does not
    /// offer (no such controller, or a file of the other version) is nil.
    public struct Group: Sendable, Equatable {
        /// From the lab's cgroup root: `.` for the root itself, `demo`, `demo/inner`.
        public var path: String
        public var memoryLimit: CgroupLimit?
        /// Bytes in use, the group's and below it.
        public var memoryUsage: UInt64?
        public var processLimit: CgroupLimit?
        /// Processes in the group and below it.
        public var processCount: UInt64?
        public var cpuLimit: CPULimit?
        public var frozen: Bool?
        /// The processes in the group itself.
        public var processes: [Int32]

        public init(path: String, memoryLimit: CgroupLimit? = nil, memoryUsage: UInt64? = nil, processLimit: CgroupLimit? = nil,
                    processCount: UInt64? = nil, cpuLimit: CPULimit? = nil, frozen: Bool? = nil, processes: [Int32] = []) {
            self.path = path
            self.memoryLimit = memoryLimit
            self.memoryUsage = memoryUsage
            self.processLimit = processLimit
            self.processCount = processCount
            self.cpuLimit = cpuLimit
            self.frozen = frozen
            self.processes = processes
        }
    }

    /// A process of the session, with the names the lab gave it and its namespaces.
    public struct Process: Sendable, Equatable {
        public var pid: Int32
        /// /proc/PID/comm.
        public var command: String
        /// `$c1`, `$!`, or `held` for the process being set up between clone and exec.
        public var names: [String]
        /// The inode of each /proc/PID/ns file of `Scene.namespaceKinds`: equal inodes, one namespace.
        public var namespaces: [NamespaceKind: UInt64]

        public init(pid: Int32, command: String, names: [String] = [], namespaces: [NamespaceKind: UInt64]) {
            self.pid = pid
            self.command = command
            self.names = names
            self.namespaces = namespaces
        }
    }

    public var network: Topology
    /// Sorted by mount point, a mount before those below it.
    public var mounts: [Mount]
    /// The lab's cgroup root first, each group before the groups below it.
    public var cgroups: [Group]
    /// By pid.
    public var processes: [Process]
    /// BoxLab's own namespaces (the session's: the sandbox's, or the machine's with --host),
    /// which the pictures call `host`.
    public var host: [NamespaceKind: UInt64]

    /// The kinds a process's namespaces are shown for, in the order of the columns.
    public static let namespaceKinds: [NamespaceKind] = [.net, .mnt, .pid, .uts, .ipc, .user, .cgroup]

    public init(network: Topology = Topology(namespaces: [], interfaces: [], defaultRoutes: [:]), mounts: [Mount] = [],
                cgroups: [Group] = [], processes: [Process] = [], host: [NamespaceKind: UInt64] = [:]) {
        self.network = network
        self.mounts = mounts
        self.cgroups = cgroups
        self.processes = processes
        self.host = host
    }

    /// Reads it all (untraced: this is BoxLab looking, not the learner acting). Never fails: a
    /// part that cannot be read is empty.
    public static func read(_ session: Session) -> Scene {
        Trace.untraced {
            let processes = processes(of: session), host = namespaces(of: nil)
            let places = NetworkPlaces(variables: session.workbench.variables)
            return Scene(network: Topology.read(places, run: session.workbench.run, unnamed: unnamedNetworks(processes, host: host, places)),
                         mounts: mounts(in: session.workspace), cgroups: cgroups(of: session), processes: processes, host: host)
        }
    }

    /// The workspace's mounts, as `Snapshot.take` finds them.
    static func mounts(in workspace: Workspace) -> [Mount] {
        let entries = ((try? MountTable.read())?.entries ?? []).filter { workspace.mayMount(on: $0.mountPoint) }
        // A relative directory option was relative to the mounter's directory, which is gone:
        // the workspace root is taken, as expectations take it.
        func shown(_ path: String) -> String { workspace.display(workspace.resolveFromRoot(path)) }
        let mounts = entries.map { entry in
            Mount(mountID: entry.mountID, point: workspace.display(entry.mountPoint), fstype: entry.fstype, source: workspace.display(entry.source),
                  root: workspace.display(entry.root), readOnly: entry.isReadOnly,
                  overlay: entry.fstype != "overlay" ? nil : Overlay(lower: entry.lowerDirectories.map(shown),
                                                                     upper: entry.superOption("upperdir").map(shown),
                                                                     work: entry.superOption("workdir").map(shown)))
        }
        // mountinfo's order among mounts on one point is the order they are stacked in.
        return mounts.enumerated().sorted { a, b in
            let (left, right) = (a.element.point.split(separator: "/"), b.element.point.split(separator: "/"))
            return left == right ? a.offset < b.offset : left.lexicographicallyPrecedes(right)
        }.map(\.element)
    }

    /// The lab's cgroup root and the groups below it; none for a lab that uses no cgroups.
    static func cgroups(of session: Session) -> [Group] {
        guard session.lab.usesCgroups, let root = try? session.workbench.cgroupRoot(forLab: session.lab.id), root.group.exists else { return [] }
        return (["."] + root.group.descendants()).map { path in
            let group = root.group.child(path == "." ? "" : path)
            return Group(path: path, memoryLimit: try? group.memoryLimit().value, memoryUsage: try? group.memoryUsage().value,
                         processLimit: try? group.processLimit().value, processCount: try? group.processCount().value,
                         cpuLimit: try? group.cpuLimit().value, frozen: (try? group.freezerState().value).map { $0 == .frozen },
                         processes: (try? group.processes()) ?? [])
        }
    }

    /// The programs BoxLab started for the session that still run, the pids the lab's
    /// variables hold (when the session may name them: `SessionProcesses`), and the process
    /// being set up.
    static func processes(of session: Session) -> [Process] {
        let workbench = session.workbench
        let started = Set(Reset(run: workbench.run).journaledPrograms(workbench.ledger.entries()))
        var names: [Int32: [String]] = [:]
        for (name, value) in workbench.variables.all() {
            if let pid = Int32(value), pid > 0 { names[pid, default: []].append("$" + name) }
        }
        if let held = workbench.held.pid { names[held, default: []].append("held") }
        let owned = started.union(names.keys).filter { pid in
            !ProcessTable.hasEnded(pid) && (started.contains(pid) || session.processes.refusal(pid) == nil)
        }
        return owned.sorted().map { pid in
            // `$!` says nothing more when the lab named the program (`c1=$!`).
            var named = (names[pid] ?? []).sorted()
            if named.count > 1 { named.removeAll { $0 == "$" + Variables.lastBackground } }
            return Process(pid: pid, command: ProcessTable.name(of: pid) ?? "?", names: named, namespaces: namespaces(of: pid))
        }
    }

    /// The network namespaces of the session's processes that neither the session's own nor a
    /// name in /run/netns is (`--network none`, a container's joined by another): each by the
    /// first variable naming a process in it.
    static func unnamedNetworks(_ processes: [Process], host: [NamespaceKind: UInt64], _ places: NetworkPlaces) -> [String] {
        var known = Set(places.all().compactMap { name in
            name == NetworkPlaces.host ? host[.net] : (try? FileSystem.stat(places.path(of: name))).map { UInt64($0.inode) }
        })
        var unnamed: [String] = []
        for process in processes {
            guard let namespace = process.namespaces[.net], let name = process.names.first(where: { $0.hasPrefix("$") }),
                  known.insert(namespace).inserted else { continue }
            unnamed.append(name)
        }
        return unnamed
    }

    /// `pid`'s namespaces (nil: this process's).
    static func namespaces(of pid: Int32?) -> [NamespaceKind: UInt64] {
        var found: [NamespaceKind: UInt64] = [:]
        for kind in namespaceKinds { found[kind] = ProcessTable.namespace(kind.rawValue, of: pid) }
        return found
    }
}
