import FoundationEssentials
import Kernel

/// Opens labs in a place (sandbox or host): makes the lab's workspace, journaled when it is
/// on the host, and wipes it on request.
public struct Workbench: Sendable {
    public let run: RunDirectory
    public let isolation: Isolation
    /// The netlink clients the commands of this workbench share (see `NetworkClients`).
    public let clients: NetworkClients
    /// The programs this process started in the background and has not reaped yet.
    public let jobs = BackgroundJobs()
    /// The process being set up between clone and exec, if any.
    public let held = HeldChild()
    /// `--trust`: the learner vouches for the labs opened here, so on the host they reach the
    /// whole machine even when they are not BoxLab's own (see `Reach`).
    public let trustsLabs: Bool

    public init(run: RunDirectory, isolation: Isolation, trust: Bool = false) {
        self.run = run
        self.isolation = isolation
        trustsLabs = trust
        clients = NetworkClients(places: NetworkPlaces(variables: Variables(run: run)))
    }

    /// Where the commands' network namespaces are (`ip -n NAME`, `nsenter -t PID -n`).
    var places: NetworkPlaces { clients.places }

    public var ledger: Ledger { Ledger(path: run.ledger) }
    public var variables: Variables { Variables(run: run) }

    public func workspaceRoot(for lab: Lab) -> String { run.workspaces + "/" + lab.id }

    /// A session on `lab` in its workspace as it is (`check` looks at the learner's work).
    public func session(_ lab: Lab, console: Console) -> Session {
        let workspace = Workspace(root: workspaceRoot(for: lab))
        // Containers keep their layers and directories in the run directory.
        var aliases: [String: String] = [run.path: "$BOXLAB_RUN_DIR"]
        if lab.usesCgroups, let root = try? cgroupRoot(forLab: lab.id) {
            // One name per directory: on v2 the single tree is `$cgroup`.
            for (name, directory) in Self.cgroupVariables(root) where aliases[directory] == nil || name == "cgroup" { aliases[directory] = "$" + name }
            workspace.cgroupPlaces = aliases.filter { $0.key != run.path }.map { ($0.key, $0.value) }
        }
        workspace.aliases = aliases.map { ($0.key, $0.value) }
        return Session(lab: lab, workspace: workspace, workbench: self, console: console)
    }

    /// A session on `lab` with a fresh, empty workspace, none of the programs and network
    /// objects an earlier attempt made (`Reset.startOver`), and empty cgroups when it uses
    /// them. What could not be removed is said, a dim line each; nothing when all went.
    public func open(_ lab: Lab, console: Console) throws -> Session {
        held.release()
        // A client holds its namespace alive, and one named again must be reached anew.
        clients.release()
        for line in Reset(run: run).startOver(isolation) where line.hasPrefix("left ") { console.line(line, .dim) }
        jobs.reap()
        try wipe(workspaceRoot(for: lab))
        variables.clear()
        if lab.usesCgroups {
            for (name, directory) in Self.cgroupVariables(try prepareCgroups(forLab: lab.id)) { try variables.set(name, directory) }
        }
        return session(lab, console: console)
    }

    /// What the lab's commands call its cgroup directories: `$memory`, `$pids`, `$cpu`,
    /// `$freezer` (each controller's hierarchy on v1), and on v2, where one tree serves them
    /// all, `$cgroup` as well.
    static func cgroupVariables(_ root: CgroupRoot) -> [String: String] {
        var names: [String: String] = [:]
        for (controller, directory) in root.directories { names[controller.rawValue] = directory }
        if let memory = names["memory"], root.group.places[.memory]?.version == .v2 { names["cgroup"] = memory }
        return names
    }

    /// The run directory and the workspaces directory exist on the host, the latter journaled
    /// (the run directory itself always goes with `reset`): in host mode the workspaces live
    /// there, and a sandbox mounts its tmpfs on it.
    public static func prepareHostDirectories(_ run: RunDirectory) throws(KernelError) {
        try Trace.untraced { () throws(KernelError) in
            guard (try? FileSystem.lstat(run.workspaces)) == nil else { return }
            try makeDirectory(run.path)
            try makeDirectory(run.workspaces)
            let made = try FileSystem.lstat(run.workspaces)
            try Ledger(path: run.ledger).record(.directory(path: run.workspaces, device: made.device.description, inode: made.inode))
        }
    }

    /// The lab's workspace, emptied: mounts below it detached (deepest first), files removed.
    /// A mount still there after its detach is a BoxLabError: nothing is deleted then.
    public func wipe(_ root: String) throws {
        if isolation == .host { try Workbench.prepareHostDirectories(run) }
        try Trace.untraced { () throws in
            let mounted = (try? MountTable.read())?.mounts(under: root) ?? []
            for entry in mounted.reversed() { try? Mounts.unmount(entry.mountPoint, flags: .detach) }
            // Never delete through a mount that would not go: it may be a bind of the host's files.
            if let left = (try? MountTable.read())?.mounts(under: root).last {
                throw BoxLabError("\(left.mountPoint) is still mounted after it was detached, so the workspace was not emptied: unmount it by hand (`umount -l`) and start again")
            }
            if (try? FileSystem.lstat(root)) != nil { try FileSystem.removeTree(root) }
            try makeDirectory(root)
        }
    }
}
