import FoundationEssentials
import Glibc
import Kernel

extension Invocation {
    /// Starts the program `launch` names (its path still as the line wrote it) in the
    /// namespaces and cgroups it asks for, journaled and marked so `reset` can kill it, and
    /// waits for it unless the line ends with `&`: then `$!` names it. A launch with `setup`
    /// (a container) comes with its program's path and environment, found inside; `prepare`
    /// runs after the journaling, while the child still waits (a container's network is
    /// wired then). `privileges` are the calls it makes on itself last, before exec (setpriv's).
    func launch(_ launch: ProcessLaunch, privileges: [SetupOperation] = [], prepare: (Int32) throws -> Void = { _ in }) throws {
        guard let name = launch.arguments.first else { throw failure("which program?", cause: "usage: \(command.usage)") }
        if let refusal = reach.programRefusal("programs", workbench) { throw failure(refusal) }
        var launch = launch
        if launch.setup.isEmpty {
            // A program that joins a mount namespace is found in that namespace's tree.
            let root = launch.join.first { $0.kind == .mnt }.map { String($0.path.dropLast("/ns/mnt".count)) + "/root" } ?? ""
            guard let path = Self.findProgram(name, root: root) else {
                throw failure("\(name): command not found", cause: root.isEmpty
                    ? "BoxLab runs programs from PATH (\(Self.searchPath)); install it or give its full path"
                    : "it is looked up in the mount namespace it joins, where PATH (\(Self.searchPath)) has no \(name)")
            }
            launch.path = path
            launch.environment = programEnvironment
            // The program starts in the workspace, where the joined mount namespace has it (a
            // copy of the session's); otherwise (a container's, after pivot_root) at that
            // namespace's root, where setns(2) leaves it, as nsenter(1) does without --wd.
            let reachable = root.isEmpty || Trace.untraced { (try? FileSystem.stat(root + workspace.current)) != nil }
            launch.directory = reachable ? workspace.current : nil
        } else {
            launch.environment.append(RunDirectory.ownerVariable + "=" + workbench.run.path)
        }
        launch.setup += privileges
        if namespace != NetworkPlaces.host, !launch.new.contains(.net), !launch.join.contains(where: { $0.kind == .net }) {
            launch.join.append((.net, workbench.places.path(of: namespace)))
        }

        let devnull = try Trace.untraced { () throws(KernelError) in try FileSystem.open("/dev/null", flags: O_RDWR | O_CLOEXEC) }
        // The descriptors are plumbing, not what the learner asked for: their calls go untraced.
        defer { devnull.discard() }
        var output: (read: FileDescriptor, write: FileDescriptor)?
        launch.stdin = devnull
        if standalone {
            output = nil
            (launch.stdin, launch.stdout, launch.stderr) = (nil, nil, nil)
        } else if background {
            output = nil
            let target = try outputFile()
            launch.stdout = target ?? devnull
            launch.stderr = launch.stdout
        } else {
            output = try Trace.untraced { () throws(KernelError) in try ChildProcess.pipe() }
            launch.stdout = output!.write
            launch.stderr = output!.write
        }
        defer { if background, let stdout = launch.stdout, stdout != devnull { stdout.discard() } }
        let process: LaunchedProcess
        do {
            process = try withoutActuallyEscaping(prepare) { prepare in
                try launch.start(beforeRelease: journaled(prepare))
            }
        } catch {
            output?.read.discard()
            output?.write.discard()
            throw failure("cannot start \(name)", error, cause: (error as? KernelError).flatMap(launchCause))
        }
        guard var output else {
            if standalone {
                let termination = try Trace.untraced { () throws(KernelError) in try ChildProcess.wait(process.child) }
                exitStatus = termination.shellStatus
                return
            }
            let job = workbench.jobs.add(process)
            try workbench.variables.set(Variables.lastBackground, "\(process.pid)")
            write("[\(job)] \(process.pid)\n")
            return
        }
        let bytes = Trace.untraced { () -> [UInt8] in
            try? output.write.close()
            defer { try? output.read.close() }
            return (try? ChildProcess.readAll(output.read)) ?? []
        }
        // Paths in what programs print are shown as the learner knows them (`<ws>/…`).
        if let text = String(validating: bytes, as: UTF8.self) { write(workspace.display(text)) } else { write(bytes: bytes) }
        let termination = try Trace.untraced { () throws(KernelError) in try ChildProcess.wait(process.child) }
        guard termination.succeeded else { throw failure("\(name) ended with \(termination)", cause: terminationCause(termination)) }
    }

    /// What happens while a new child waits, before it runs anything: it is journaled (so
    /// `reset` can end it), then `prepare`d.
    func journaled(_ prepare: @escaping (Int32) throws -> Void = { _ in }) -> (Int32) throws -> Void {
        let ledger = workbench.ledger
        return { pid in
            let startTime = Trace.untraced { ProcessTable.startTime(of: pid) } ?? 0
            try Trace.untraced { () throws(KernelError) in try ledger.record(.process(pid: pid, startTime: startTime)) }
            try prepare(pid)
        }
    }

    /// The file a background program's output goes to (`> FILE`), opened now: the line's
    /// redirection applies to the program, not to what BoxLab prints.
    func outputFile() throws -> FileDescriptor? {
        guard let target = redirections.last(where: { $0.kind != .input }) else { return nil }
        redirections.removeAll()
        let flags = O_WRONLY | O_CREAT | O_CLOEXEC | (target.kind == .append ? O_APPEND : O_TRUNC)
        let file = try path(target.target, for: .write)
        do { return try FileSystem.open(file, flags: flags, mode: 0o644) } catch {
            throw failure("cannot write '\(target.target)'", error)
        }
    }

    /// The session's environment plus the mark `reset` finds programs by (inherited by theirs).
    private var programEnvironment: [String] {
        var variables = ProcessInfo.processInfo.environment
        variables[RunDirectory.ownerVariable] = workbench.run.path
        return variables.map { "\($0.key)=\($0.value)" }.sorted()
    }

    static var searchPath: String {
        ProcessEnvironment.value("PATH") ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    }

    /// `name` itself if it holds a slash, else the first executable of that name on PATH;
    /// looked for below `root` (`/proc/PID/root`: another mount namespace's tree).
    static func findProgram(_ name: String, root: String = "") -> String? {
        if name.contains("/") { return access(root + name, X_OK) == 0 ? name : nil }
        return searchPath.split(separator: ":").map { "\($0)/\(name)" }.first { access(root + $0, X_OK) == 0 }
    }

    private func launchCause(_ error: KernelError) -> String? {
        switch (error.call, error.errno) {
        case ("setns", .EINVAL): "that namespace cannot be joined from here (a PID namespace must be the caller's own or below it)"
        case ("openat", .ENOENT): "the process is gone: check its pid (ls /proc)"
        case ("execve", .ENOENT): "the program is not there inside the namespaces it joined"
        // A container's volume target, checked in the child before anything is made there (ContainerRoot).
        case ("openat2", Errno(ELOOP)), ("openat2", .ENOTDIR):
            "volume target /\(error.arguments.count > 1 ? error.arguments[1].filter { $0 != "\"" } : "") is not a directory of the container's root reached without a symlink, and runc mounts a volume only there: give another target"
        // Cloned into a cgroup2 group (see ProcessLaunch.cgroups).
        case ("clone3", .EAGAIN): "the group is at its pids.max: a process cloned into it counts as a fork there; raise pids.max or let its processes end"
        case ("clone3", .EBUSY): "the group hands controllers down (cgroup.subtree_control), and cgroup v2 keeps processes out of such a group: start it in a group below"
        case ("clone3", Errno(ENOSYS)), ("clone3", .EINVAL): "this kernel cannot clone into a cgroup2 group (clone3 with CLONE_INTO_CGROUP, Linux 5.7 or later): upgrade it"
        default: Privileges.cause(of: error) ?? likelyCause(of: error)
        }
    }

    private func terminationCause(_ termination: Termination) -> String? {
        if termination == .signaled(SIGKILL) { return "SIGKILL: killed by `kill -9`, or by the kernel's OOM killer when its cgroup ran out of memory" }
        return nil
    }
}
