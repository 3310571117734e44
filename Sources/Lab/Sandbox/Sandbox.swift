import CBoxLab
import FoundationEssentials
import Glibc
import Kernel

/// Where a session's commands take effect.
public enum Isolation: String, Sendable, Codable {
    /// The boundary (CBoxLab/sandbox.h: own user, mount, network, UTS, IPC and PID
    /// namespaces, root an unprivileged block of host ids), kept at the run directory so
    /// that `boxlab shell` and `boxlab check` can join it (the REPL).
    case session
    /// The boundary, dying with the process (batch runs); also the trusted flavour of
    /// `boxlab sandbox --trusted` (the test suite's harness), which has the host's root.
    case `private`
    /// The machine itself (`--host`), for VM lessons and demos.
    case host
}

/// The session sandbox as seen from the host: its namespace files under the run directory.
///
/// Creating and joining happen in C before Swift starts threads (CBoxLab/sandbox.c); this
/// type prepares the host side, knows whether a sandbox exists, and tears it down.
public struct Sandbox: Sendable {
    public let run: RunDirectory
    /// The namespace files kept under `run/sandbox`, in the order they are joined: the
    /// boundary's, and those of a trusted session (no user or pid namespace of its own).
    public static let kinds = ["user", "net", "uts", "ipc", "cgroup", "pid", "mnt"]
    static let trustedKinds = ["net", "uts", "ipc", "mnt"]

    /// Why this sandbox is the trusted flavour (the host's root in new namespaces) rather than
    /// the boundary, as its supervisor said when it could not build the boundary (the only
    /// reason left: no filesystem for a workspace with user.* attributes, `DiskWorkspace`).
    public static func boundaryMissing() -> String? { ProcessEnvironment.value(fallbackVariable) }

    /// Carries the supervisor's reason for the trusted flavour to the sandbox's processes.
    public static let fallbackVariable = "BOXLAB_SANDBOX_FALLBACK"

    /// The host uid and gid that are root inside the sandbox.
    public static let rootID = UInt32(BOXLAB_SANDBOX_ROOT)

    public init(run: RunDirectory) { self.run = run }

    /// True when the session sandbox's namespaces are bind-mounted (it exists, whether or not
    /// a process is inside it).
    /// Where the sandbox sees the state directory (progress, history): attached on its own
    /// /run, since the usual place is below /root, which the sandbox's root cannot cross.
    public static let stateDirectory = "/run/boxlab-state"

    /// True when the session sandbox is the boundary: `prepare` made a file for its user
    /// namespace (the trusted flavour has none), the constructor's own test for `join:`.
    public func holdsBoundary() -> Bool {
        (try? FileSystem.lstat(run.sandbox + "/user")) != nil
    }

    public func exists() -> Bool {
        guard let table = try? MountTable.read() else { return false }
        return table.mount(at: run.sandbox + "/mnt")?.fstype == "nsfs"
    }

    /// Host side of creating the session sandbox: journal it, then make the directory a
    /// private mount (an nsfs file for a mount namespace may only be bound where it cannot
    /// propagate into that namespace) holding the four files the namespaces are bound onto.
    public func prepare(ledger: Ledger, boundary: Bool) throws(KernelError) {
        try Trace.untraced { () throws(KernelError) in
            try ledger.record(.sandbox(path: run.sandbox))
            try makeDirectory(run.sandbox)
            try Mounts.mount(source: run.sandbox, target: run.sandbox, fstype: nil, flags: .bind, data: nil)
            try Mounts.mount(source: nil, target: run.sandbox, fstype: nil, flags: .private, data: nil)
            for kind in boundary ? Sandbox.kinds : Sandbox.trustedKinds {
                try FileSystem.writeFile(run.sandbox + "/" + kind, [])
            }
        }
    }

    /// Where iproute2 keeps named network namespaces; the sandbox gives it one of its own.
    public static let networkNamespaces = "/run/netns"

    /// Marks a directory BoxLab made only to mount on, so that `reset` removes ours and never
    /// one that was there before.
    static let createdMark = "user.boxlab.created"

    /// Host side of any new sandbox: the directories it mounts on must exist on the host.
    /// Every run journals them, since another run (of any run directory) may have made it and
    /// ended: the last one to reset removes it, once no mount namespace uses it.
    public static func prepareMountPoints(ledger: Ledger) throws(KernelError) {
        try Trace.untraced { () throws(KernelError) in
            let making = (try? FileSystem.lstat(networkNamespaces)) == nil
            try ledger.record(.mountPoint(path: networkNamespaces, made: making))
            guard making else { return }
            try makeDirectory(networkNamespaces)
            // tmpfs takes user.* attributes only from Linux 6.6 on; there the entry's `made`
            // is all that says the directory is ours.
            try? FileSystem.setxattr(networkNamespaces, createdMark, Array("1".utf8))
        }
    }

    public static let hostname = "boxlab"

    /// Inside a new sandbox, furnished like a fresh host: the workspaces on a tmpfs that dies
    /// with its mount namespace, or on the disk workspace its supervisor made where tmpfs
    /// lacks user.* attributes (`DiskWorkspace`), /run/netns on a tmpfs (so `ip netns add`
    /// touches no host file), loopback up in its network namespace, and its own hostname.
    public func furnish() throws(KernelError) {
        try Trace.untraced { () throws(KernelError) in
            if let disk = DiskWorkspace.handedOver() {
                try Mounts.mount(source: disk.directory, target: run.workspaces, fstype: nil, flags: .bind, data: nil)
            } else {
                try Mounts.mount(source: "boxlab", target: run.workspaces, fstype: "tmpfs", flags: [.noSuid, .noDev], data: "mode=0755")
            }
            // The copy of the host's mount table holds the namespaces named in /run/netns
            // when the sandbox was made (another session's, a host-mode run's), and the
            // namespace files other runs keep their session sandboxes by (their
            // `run/sandbox`): detached here, privately, so the sandbox neither shows them
            // changing nor keeps them alive.
            let entries = (try? MountTable.read())?.entries ?? []
            let otherSandboxes = Set(entries.filter { $0.fstype == "nsfs" && !$0.mountPoint.hasPrefix(run.path + "/") }.map {
                String($0.mountPoint[..<($0.mountPoint.lastIndex(of: "/") ?? $0.mountPoint.endIndex)])
            }).filter { $0.hasSuffix("/sandbox") }
            let copied = entries.filter { entry in
                entry.mountPoint == Sandbox.networkNamespaces || entry.mountPoint.hasPrefix(Sandbox.networkNamespaces + "/")
                    || otherSandboxes.contains { entry.mountPoint == $0 || entry.mountPoint.hasPrefix($0 + "/") }
            }
            for entry in copied.reversed() { try? Mounts.unmount(entry.mountPoint, flags: .detach) }
            try Mounts.mount(source: Sandbox.networkNamespacesSource, target: Sandbox.networkNamespaces, fstype: "tmpfs", flags: [.noSuid, .noDev, .noExec], data: "mode=0755")
            try RouteNetlink().setLink(.name("lo"), [.up])
            // The sandbox has a UTS namespace of its own: one name on every machine, so
            // transcripts are the same everywhere and the machine's own name is never changed.
            try Hostname.set(Sandbox.hostname)
        }
    }

    /// The name of the tmpfs `furnish` mounts on /run/netns, which marks the sandbox's own.
    static let networkNamespacesSource = "boxlab-netns"

    /// Whether this process is in a sandbox BoxLab furnished, by the kernel's word: its
    /// /run/netns is the sandbox's tmpfs, which only `furnish` mounts, in the mount namespace
    /// made with the sandbox's network namespace. Everything in that namespace and in
    /// /run/netns is then the session's.
    static func ownsNetworkNamespaces() -> Bool {
        guard let top = Trace.untraced({ (try? MountTable.read())?.mount(at: networkNamespaces) }) else { return false }
        return top.fstype == "tmpfs" && top.source == networkNamespacesSource
    }

    /// The processes inside the session sandbox (those sharing its mount namespace).
    public func processes() -> [Int32] {
        guard let inode = try? FileSystem.stat(run.sandbox + "/mnt").inode else { return [] }
        return ProcessTable.members(ofNamespace: "mnt", inode: inode).filter { $0 != getpid() }
    }

    /// Ends the session sandbox: kills what runs in it and drops the bind mounts that keep
    /// its namespaces alive, so the kernel frees them with every mount and link inside.
    /// Returns what it did, a line each.
    public func teardown() -> [String] {
        var done: [String] = []
        let victims = processes()
        for pid in victims {
            try? Signals.kill(pid, SIGKILL)
            done.append("killed process \(pid) in the sandbox")
        }
        waitForExit(victims)
        for kind in Sandbox.kinds + [""] {
            let target = kind.isEmpty ? run.sandbox : run.sandbox + "/" + kind
            if (try? Mounts.unmount(target, flags: [.detach, .noFollow])) != nil {
                done.append("unmounted \(target)")
            }
        }
        return done
    }
}

extension Sandbox {
    /// The sandbox's cgroups: the directories bound writable into it, and those its
    /// processes start in.
    public struct Delegation: Sendable {
        public var attached: [String] = []
        public var entered: [String] = []
    }

    /// Host side of the sandbox's cgroups, as systemd delegates a subtree to a user: a
    /// directory in each hierarchy that serves the labs' controllers
    /// (`boxlab-<hash>-sandbox` beside the labs' roots in BoxLab's own cgroup), journaled,
    /// then made and handed to the sandbox's root: the directory (the groups made in it are
    /// their maker's, files included) and the files that move processes (`tasks` and
    /// `cgroup.procs` on v1; on v2 those cgroup-v2.rst names for delegation). Its own limits
    /// stay the host's.
    ///
    /// On v2 the labs' controllers are listed in its parent's cgroup.subtree_control
    /// (journaled; BoxLab moves into a leaf of its cgroup for that, as in host mode). The
    /// sandbox's namespaces are made while it is in the directory, which so becomes its cgroup
    /// namespace's root; then its processes go into a leaf below it (`CgroupRoot.leaf`,
    /// handed over too), and a lab's groups are made beside the leaf, the directory's own
    /// cgroup.subtree_control listing their controllers (a cgroup that hands controllers down
    /// holds no processes). Where the controllers cannot be handed down (BoxLab's
    /// cgroup holds other processes), the directories are still delegated, and a lab's
    /// cgroup steps say what is missing. On v1 the sandbox starts in the directories.
    public func delegateCgroups(ledger: Ledger) throws -> Delegation {
        let layout = try Trace.untraced { () throws(CgroupError) in try CgroupLayout.detect() }
        let controllers = CgroupController.lab.filter { layout.hierarchy(for: $0) != nil }
        guard !controllers.isEmpty else { return Delegation() }
        let root = try CgroupRoot.locate(run: run.path, lab: "sandbox", layout: layout, controllers: controllers)
        do {
            try Trace.untraced { () throws(CgroupError) in try root.prepare(journal: ledger.record, handOff: .intoRoot) }
        } catch {
            try Trace.untraced { () throws(CgroupError) in try root.prepare(journal: ledger.record, handOff: .none) }
        }
        var delegation = Delegation()
        for directory in root.group.directories {
            let version = root.group.places.values.first { $0.directory == directory }?.version ?? .v1
            let files = version == .v1 ? ["tasks", "cgroup.procs"] : ["cgroup.procs", "cgroup.threads", "cgroup.subtree_control"]
            let start = version == .v1 ? directory : CgroupRoot.leaf(of: directory)
            try Trace.untraced { () throws(KernelError) in
                if (try? FileSystem.lstat(start)) == nil { try FileSystem.mkdir(start) }
                for handed in Set([directory, start]).sorted() {
                    for name in [""] + files {
                        try FileSystem.lchown(name.isEmpty ? handed : handed + "/" + name, uid: Sandbox.rootID, gid: Sandbox.rootID)
                    }
                }
            }
            delegation.attached.append(directory)
            delegation.entered.append(start)
        }
        return delegation
    }

    /// Where a process that joins the session goes first, so that it is inside the session's
    /// cgroup namespace: in each hierarchy, the highest group a process of the session is in
    /// (the kernel's word, /proc/PID/cgroup; the ledger is the sandbox's to write), which is
    /// the delegated directory or the leaf BoxLab moved the session into.
    public func joinedCgroups() -> [String] {
        let name = "/" + CgroupRoot.name(run: run.path, lab: "sandbox")
        var highest: [String: String] = [:]
        for pid in processes() {
            guard let layout = try? CgroupLayout.detect(process: pid) else { continue }
            for hierarchy in layout.hierarchies where CgroupController.lab.contains(where: { hierarchy.serves($0) }) {
                let directory = hierarchy.ownDirectory
                guard directory.hasSuffix(name) || directory.hasSuffix(name + "/" + CgroupRoot.leafName) else { continue }
                if highest[hierarchy.mountPoint].map({ directory.count < $0.count }) ?? true { highest[hierarchy.mountPoint] = directory }
            }
        }
        return highest.values.sorted()
    }
}

/// mkdir -p without tracing each component.
func makeDirectory(_ path: String, mode: UInt32 = 0o755) throws(KernelError) {
    var built = ""
    for part in path.split(separator: "/") {
        built += "/" + part
        do {
            try FileSystem.mkdir(built, mode: mode)
        } catch where error.errno == .EEXIST {
            continue
        }
    }
}

/// Waits (up to about a second) until `pids` are gone from /proc, so their namespaces and
/// mounts are released before we go on.
func waitForExit(_ pids: [Int32]) {
    for _ in 0..<100 {
        if pids.allSatisfy(ProcessTable.hasEnded) { return }
        usleep(10_000)
    }
}
