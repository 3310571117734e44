#if canImport(Glibc)
import Glibc
#endif
import Kernel

/// Building a container by hand: `clone` starts a process in new namespaces that stops
/// before it runs anything, the way a runtime's child does. Until `exec`, the commands
/// below run in that process instead of in BoxLab, each traced as `[pid N] call`, while
/// every other command (ip, echo, cat…) stays BoxLab's: the runtime's parent side.
enum ChildSetup {
    /// The names of the commands with a form that runs in the process being set up (`Command.runsInChild`).
    static var commandList: String { CommandSet.all.filter(\.runsInChild).map(\.name).sorted().joined(separator: ", ") }
}

extension Command {
    /// clone(2) with CLONE_NEW* flags, stopped before exec: the process a container becomes.
    static let clone = Command(
        "clone", usage: "clone [-m] [-u] [-i] [-n] [-p] [-C] [-U [--no-map]] [-g CONTROLLER[,CONTROLLER...]:PATH]... \(Privileges.usage) [> FILE]",
        summary: "start a process in new namespaces that waits between clone and exec, to be set up by the commands that follow; with --reuid, an unprivileged one that makes them itself (rootless)",
        options: NamespaceKind.optionSpecs + [.value("g", nil), .flag(nil, "no-map")] + Privileges.optionSpecs
    ) { call in
        try call.requireOperands(0...0)
        if let pid = call.workbench.held.pid {
            throw call.failure("process \(pid) is still being set up", cause: "finish it with exec PROGRAM, or kill it, before cloning another")
        }
        var launch = ProcessLaunch(program: ["clone"])
        launch.new = NamespaceKind.allCases.filter { call.options.has($0.optionName) && $0 != .time }
        guard !launch.new.isEmpty else {
            throw call.failure("no namespace to make", cause: "name them: -m mount, -u uts, -i ipc, -n net, -p pid (and -C cgroup, -U user)")
        }
        if call.options.has("no-map"), !launch.new.contains(.user) {
            throw call.failure("--no-map is for a new user namespace", cause: "add -U, or drop --no-map")
        }
        let privileges = try Privileges.operations(call.options, command: call.command.name)
        if let uid = call.options.value("reuid").flatMap(UInt32.init) {
            launch.setup = try rootless(privileges, uid: uid, gid: call.options.value("regid").flatMap(UInt32.init), new: launch.new, map: !call.options.has("no-map"), call)
            launch.new = []
        } else {
            launch.setup = privileges
            // Root inside is the caller outside, unless the learner writes the maps (uidmap, gidmap),
            // as a runtime's parent does for a container whose root is another uid outside.
            if launch.new.contains(.user), !call.options.has("no-map") { launch.userMap = "0 \(geteuid()) 1" }
        }
        launch.cgroups = try call.cgroupDirectories(call.options.allValues("g"))
        // Its relative paths start where the learner is.
        launch.directory = call.workspace.current
        var devnull = try Trace.untraced { () throws(KernelError) in try FileSystem.open("/dev/null", flags: O_RDWR | O_CLOEXEC) }
        defer { devnull.discard() }
        var output = try call.outputFile()
        defer { output?.discard() }
        (launch.stdin, launch.stdout, launch.stderr) = (devnull, output ?? devnull, output ?? devnull)
        let held: HeldProcess
        do { held = try launch.startHeld(beforeRelease: call.journaled()) } catch {
            throw call.failure("cannot clone", error)
        }
        call.workbench.held.hold(held, place: ChildPlace(current: call.workspace.current, workspace: call.workspace))
        let job = call.workbench.jobs.add(held.launched)
        try call.workbench.variables.set(Variables.lastBackground, "\(held.pid)")
        call.write("[\(job)] \(held.pid)\n")
        call.write("(process \(held.pid) waits between clone and exec: \(ChildSetup.commandList) now run in it, until exec)\n")
    }

    /// A rootless start, as rootless Podman's first process makes one: no privileged parent
    /// makes the namespaces. The child changes its ids first, and is then an unprivileged
    /// user; it makes its namespaces itself with unshare(2), the user namespace first (the
    /// only one the kernel lets it make, and the owner of the others), and, as
    /// `unshare --map-root-user` does, maps root inside to itself outside: one id, its own,
    /// setgroups denied before the gid_map. With `--no-map` the learner writes them (`uidmap`
    /// on this process runs in it, under the same rules).
    private static func rootless(_ privileges: [SetupOperation], uid: UInt32, gid: UInt32?, new: [NamespaceKind], map: Bool, _ call: Invocation) throws -> [SetupOperation] {
        guard new.contains(.user) else {
            throw call.failure("--reuid makes an unprivileged process, which can make namespaces only in a user namespace of its own", cause: "add -U")
        }
        guard !new.contains(.pid) else {
            throw call.failure("an unprivileged process's own unshare(CLONE_NEWPID) puts only its children in the new PID namespace", cause: "drop -p: rootless runtimes fork once more for it, which this lab's clone does not")
        }
        // The change of ids left it undumpable, its /proc files root's: it could not write its own maps.
        var operations = privileges + [.dumpable, .unshare([.user] + NamespaceKind.allCases.filter { new.contains($0) && $0 != .user })]
        if map {
            operations += [.writeOwn(.map(.uid), "0 \(uid) 1\n"), .writeOwn(.setgroups, "deny"), .writeOwn(.map(.gid), "0 \(gid ?? getegid()) 1\n")]
        }
        return operations
    }

    /// pivot_root(2): the process's root becomes NEW_ROOT, and the old root goes to PUT_OLD.
    static let pivotRoot = Command(
        "pivot_root", usage: "pivot_root NEW_ROOT PUT_OLD", summary: "make NEW_ROOT the root of the process being set up (then umount -l PUT_OLD)",
        runsInChild: true
    ) { call in
        try call.requireChild()
        try call.requireOperands(2...2)
        try call.perform([.pivotRoot(newRoot: call.operands[0], putOld: call.operands[1])], "failed to change root from '\(call.operands[0])' to '\(call.operands[1])'") { _, _ in "NEW_ROOT must be a mount point in a mount namespace of its own whose / is not shared (mount --make-rprivate /, then mount --rbind DIR DIR)" }
    }

    /// chroot(2): only the process's idea of `/` changes; the mounts stay (pivot_root's weaker ancestor).
    static let chroot = Command("chroot", usage: "chroot DIR", summary: "change the root directory of the process being set up", runsInChild: true) { call in
        try call.requireChild()
        try call.requireOperands(1...1)
        try call.perform([.changeRoot(call.operands[0])], "cannot change root directory to '\(call.operands[0])'")
    }

    /// execve(2): the process being set up becomes PROGRAM, found in its own root.
    static let exec = Command(
        "exec", usage: "exec \(Privileges.usage) PROGRAM [ARG...]", summary: "replace the process being set up with PROGRAM (found in its own root)",
        options: Privileges.optionSpecs, optionsEndAtFirstOperand: true,
        runsInChild: true
    ) { call in
        try call.requireChild()
        try call.requireOperands(1...Int.max)
        guard let pid = call.workbench.held.pid else { return }
        let privileges = try Privileges.operations(call.options, command: call.command.name)
        if let refusal = call.reach.programRefusal("programs", call.workbench) { throw call.failure(refusal) }
        let name = call.operands[0]
        // The process's root as it sees it, whatever pivot_root made of it.
        let root = "/proc/\(pid)/root"
        let path = name.contains("/") ? name : ContainerRoot.searchPath.map { $0 + "/" + name }.first { access(root + $0, X_OK) == 0 } ?? name
        let environment = ContainerRoot.environment(hostname: nil) + [RunDirectory.ownerVariable + "=" + call.workbench.run.path]
        if !privileges.isEmpty {
            try call.perform(privileges, "cannot change the privileges of process \(pid)") { error, _ in Privileges.cause(of: error) }
        }
        try call.perform([.exec(path: path, arguments: call.operands, environment: environment)], "\(name): cannot execute") { _, _ in "the program must be in the process's root: after pivot_root, the image's (such as /bin/sh)" }
    }
}

extension Invocation {
    /// pivot_root, chroot and exec act on the process being set up only: BoxLab's own root
    /// and image are not for changing.
    func requireChild() throws {
        guard workbench.held.pid != nil else {
            throw failure("there is no process being set up", cause: "start one with clone -m -u -i -n -p; then \(ChildSetup.commandList) run in it until exec")
        }
    }
}
