#if canImport(Glibc)
import Glibc
#endif
import CBoxLab

/// What a program is started with: the namespaces it gets, how its mount namespace and
/// hostname are set up, and where its output goes (unshare(1), nsenter(1)).
public struct ProcessLaunch: Sendable {
    public var path: String
    /// argv, argv[0] included.
    public var arguments: [String]
    public var environment: [String]
    public var directory: String?
    /// Descriptors that become its 0, 1 and 2; nil: the caller's.
    public var stdin: FileDescriptor?
    public var stdout: FileDescriptor?
    public var stderr: FileDescriptor?
    /// Namespaces made for it.
    public var new: [NamespaceKind] = []
    /// Namespace files it joins, in order (a user namespace goes first: it decides what the
    /// others may do).
    public var join: [(kind: NamespaceKind, path: String)] = []
    /// Propagation for its whole mount tree (unshare(1) makes it private by default).
    public var propagation: Propagation?
    /// A proc mounted on /proc that shows its own PID namespace.
    public var mountProc = false
    public var hostname: String?
    /// The lines of /proc/PID/uid_map and gid_map of its new user namespace
    /// ("0 0 1": root inside is root outside); setgroups is denied first, as unshare(1) does.
    public var userMap: String?
    /// Leaves setgroups(2) allowed in that namespace, as runc's parent does: it has CAP_SETGID
    /// over the ids it maps, and the container's root then clears its groups (`--user`).
    public var setgroupsAllowed = false
    /// The cgroup directories it runs in (one per hierarchy), entered before it does anything
    /// (see `CgroupEntry`). A process is in one group of a cgroup2 hierarchy: of two, the last.
    public var cgroups: [String] = []
    /// Calls the child makes on itself after all of the above and before exec: a container's
    /// root, hostname and privileges. `path` is then found in the root they leave.
    public var setup: [SetupOperation] = []

    public init(path: String, arguments: [String], environment: [String]) {
        self.path = path
        self.arguments = arguments
        self.environment = environment
    }

    /// A program as a command line names it (`path` is argv[0] until someone finds it).
    public init(program: [String]) {
        self.init(path: program.first ?? "", arguments: program, environment: [])
    }

    /// Made by clone(2) itself; a time namespace can only be unshared, for the children.
    var clonedKinds: [NamespaceKind] { new.filter { $0 != .time } }

    /// The program runs in a grandchild when the child must move its children somewhere
    /// it cannot go itself: a joined PID namespace, a new time namespace.
    var forks: Bool { new.contains(.time) || join.contains { $0.kind == .pid } }
}

/// A program started by `ProcessLaunch.start`.
public struct LaunchedProcess: Sendable, Equatable {
    /// The program's pid, as this process sees it.
    public var pid: Int32
    /// The child to wait for: the program, or the process in between that relays its status.
    public var child: Int32
}

extension ProcessLaunch {
    /// Starts the program. `beforeRelease` runs after the clone and before the child does
    /// anything: it may journal the pid and place it in a cgroup. If it throws, the child
    /// exits without running anything. The calls the child makes come back as trace entries
    /// marked `[pid N]`, as `strace -f` shows them.
    ///
    /// The corresponding C functions are `clone` (`clone3` into a cgroup2 group), `write`
    /// (of a v1 group's tasks), `setns`, `unshare`, `mount`, `sethostname`, `dup2`, `chdir`
    /// and `execve`.
    public func start(beforeRelease: (Int32) throws -> Void = { _ in }) throws -> LaunchedProcess {
        let (started, opened) = try clone(held: false, beforeRelease: beforeRelease)
        // The files the child used close (a traced call) after its calls are in the trace,
        // whatever an optimised build would otherwise do with their lifetime.
        return try withExtendedLifetime(opened) {
            var current = started.pid
            let records = Self.readRecords(started.report)
            // Like the reports read from it, BoxLab's plumbing: untraced.
            started.report.discard()
            try traceRecords(records, opened: opened, child: started.pid, current: &current)
            Trace.recorder?.record(TraceEntry(call: "[pid \(current)] execve", arguments: execArguments, result: "0", errno: nil))
            return LaunchedProcess(pid: current, child: started.pid)
        }
    }

    /// Starts the child and leaves it between clone and exec, its `setup` done, waiting for
    /// more operations: a container built one command at a time. `HeldProcess.run` sends them;
    /// one of them execs.
    ///
    /// The corresponding C functions are `clone` and those of `setup`, made by the child.
    public func startHeld(beforeRelease: (Int32) throws -> Void = { _ in }) throws -> HeldProcess {
        let (started, opened) = try clone(held: true, beforeRelease: beforeRelease)
        var current = started.pid
        do {
            try withExtendedLifetime(opened) { try traceRecords(Self.readRecords(started.report), opened: opened, child: started.pid, current: &current) }
        } catch {
            Self.abandon(started.pid, pipes: [started.sync, started.report])
            throw error
        }
        return HeldProcess(pid: current, child: started.pid, sync: started.sync, report: started.report, program: arguments.first ?? path, next: setup.count)
    }

    /// clone, the parent's part while the child waits, and the release with `setup`.
    private func clone(held: Bool, beforeRelease: (Int32) throws -> Void) throws -> ((pid: Int32, sync: FileDescriptor, report: FileDescriptor), Opened) {
        var opened = Opened()
        for directory in cgroups { opened.cgroups.append(try CgroupEntry(directory)) }
        for (kind, path) in join { opened.namespaces.append(try NamespaceFile(path, kind: kind)) }
        var sync: Int32 = -1
        var report: Int32 = -1
        let into = opened.cgroups.last { $0.version == .v2 }
        let names = clonedKinds.map(\.cloneName)
        let (call, arguments) = if let into {
            ("clone3", ["{flags=" + (names + ["CLONE_INTO_CGROUP"]).joined(separator: "|") + ", exit_signal=SIGCHLD, cgroup=\(into.descriptor)}",
                        "\(boxlab_clone_args_size)"])
        } else {
            ("clone", ["child_stack=NULL", "flags=" + (names + ["SIGCHLD"]).joined(separator: "|")])
        }
        let pid = try syscall(call, arguments) {
            withSpec(opened, into: into, held: held) { spec in withUnsafePointer(to: spec) { boxlab_launch_start($0, &sync, &report) } }
        }
        let pipes = (sync: FileDescriptor(rawValue: sync), report: FileDescriptor(rawValue: report))
        do {
            if let userMap { try writeUserMaps(pid, userMap) }
            try beforeRelease(pid)
        } catch {
            Self.abandon(pid, pipes: [pipes.sync, pipes.report])
            throw error
        }
        let batch = SetupOperation.batch(setup)
        _ = batch.withUnsafeBytes { boxlab_launch_release(sync, $0.baseAddress, UInt32($0.count), held ? 1 : 0) }
        return ((pid, pipes.sync, pipes.report), opened)
    }

    /// Lets go of a child stopped before its program (it exits at end of file on its sync
    /// pipe) and reaps it. BoxLab's plumbing, not a call the learner made: untraced.
    ///
    /// The corresponding C functions are `close` and `wait4`.
    private static func abandon(_ pid: Int32, pipes: [FileDescriptor]) {
        Trace.untraced {
            for var pipe in pipes { try? pipe.close() }
            _ = try? ChildProcess.wait(pid)
        }
    }

    /// The files the child uses, opened by the parent before the clone; they close once the
    /// child's calls are in the trace.
    struct Opened {
        var cgroups: [CgroupEntry] = []
        var namespaces: [NamespaceFile] = []
        /// The v1 groups' tasks files, in the order of the child's writes.
        var tasks: [CgroupEntry] { cgroups.filter { $0.version == .v1 } }
    }

    /// Turns the child's reports into trace entries, `[pid N] call`, and its first failure
    /// into a KernelError (after reaping the child, which has exited, unless it is held).
    func traceRecords(_ records: [boxlab_launch_record], opened: Opened = Opened(), child: Int32, current: inout Int32,
                      operations: [SetupOperation]? = nil, first: Int = 0, held: Bool = false) throws {
        for record in records {
            let entry: TraceEntry
            var failure: Errno?
            if record.call == Int32(BOXLAB_CALL_OP.rawValue) || record.call == Int32(BOXLAB_CALL_OP_FOLLOW_UP.rawValue) {
                let operation = (operations ?? setup)[Int(record.argument) - first]
                let isFollowUp = record.call == Int32(BOXLAB_CALL_OP_FOLLOW_UP.rawValue)
                let traced = isFollowUp ? operation.followUp ?? operation.traced : operation.traced
                let failed = record.result == -1
                entry = TraceEntry(call: traced.call, arguments: traced.arguments, result: failed ? nil : "\(record.result)", errno: failed ? Errno(record.error) : nil)
                failure = entry.errno.flatMap { !isFollowUp && operation.continues(after: $0) ? nil : $0 }
            } else {
                entry = traceEntry(record, opened: opened)
                failure = entry.errno
            }
            Trace.recorder?.record(TraceEntry(call: "[pid \(current)] " + entry.call, arguments: entry.arguments, result: entry.result, errno: entry.errno))
            if let errno = failure {
                // The child has exited; its end is BoxLab's bookkeeping, not a traced call.
                if !held { Trace.untraced { _ = try? ChildProcess.wait(child) } }
                throw KernelError(call: entry.call, arguments: entry.arguments, errno: errno, detail: "in the child, before it could run \(arguments.first ?? path)")
            }
            if record.call == Int32(BOXLAB_CALL_FORK.rawValue) { current = Int32(record.result) }
        }
    }

    private var execArguments: [String] {
        [tracePath(path), "[" + arguments.map { traceQuote($0) }.joined(separator: ", ") + "]", "0x… /* \(environment.count) vars */"]
    }

    /// Builds the C description, valid during `body`.
    private func withSpec<R>(_ opened: Opened, into: CgroupEntry?, held: Bool, _ body: (boxlab_launch) -> R) -> R {
        let fds = opened.namespaces.map(\.descriptor.rawValue)
        let types = opened.namespaces.map(\.kind.cloneFlag)
        let tasks = opened.tasks.map(\.descriptor.rawValue)
        return withCStrings(arguments) { argv in
            withCStrings(environment) { envp in
                tasks.withUnsafeBufferPointer { tasks in
                    fds.withUnsafeBufferPointer { fds in
                        types.withUnsafeBufferPointer { types in
                            path.withCString { path in
                                withOptionalCString(directory) { directory in
                                    withOptionalCString(hostname) { hostname in
                                        var spec = boxlab_launch()
                                        spec.path = path
                                        spec.argv = UnsafePointer(argv)
                                        spec.envp = UnsafePointer(envp)
                                        spec.cwd = directory
                                        spec.stdio = (stdin?.rawValue ?? -1, stdout?.rawValue ?? -1, stderr?.rawValue ?? -1)
                                        spec.clone_flags = clonedKinds.reduce(0) { $0 | $1.cloneFlag }
                                        spec.join_fds = fds.baseAddress
                                        spec.join_types = types.baseAddress
                                        spec.join_count = Int32(fds.count)
                                        spec.unshare_flags = new.contains(.time) ? NamespaceKind.time.cloneFlag : 0
                                        spec.fork_after_join = forks ? 1 : 0
                                        spec.propagation = propagation.map { UInt($0.flag.rawValue) } ?? 0
                                        spec.mount_proc = mountProc ? 1 : 0
                                        spec.hostname = hostname
                                        spec.held = held ? 1 : 0
                                        spec.cgroup_fd = into?.descriptor.rawValue ?? -1
                                        spec.task_fds = tasks.baseAddress
                                        spec.task_count = Int32(tasks.count)
                                        return body(spec)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// uid_map and gid_map of the child's new user namespace, written by the parent while
    /// the child waits (only a process outside the namespace with CAP_SETUID there may).
    private func writeUserMaps(_ pid: Int32, _ map: String) throws(KernelError) {
        try UserNamespace.writeMap(.uid, of: pid, [map])
        if !setgroupsAllowed { try UserNamespace.setSetgroups(of: pid, allowed: false) }
        try UserNamespace.writeMap(.gid, of: pid, [map])
    }

    /// The child's reports until it execs or dies (end of file), or, held, finishes a batch.
    /// The child sends them in bulk, so they are read in bulk too.
    static func readRecords(_ fd: FileDescriptor) -> [boxlab_launch_record] {
        let size = MemoryLayout<boxlab_launch_record>.stride
        var records: [boxlab_launch_record] = []
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 256 * size)
        while true {
            // The child's reports are BoxLab's plumbing, not a call the learner asked for.
            let count = Trace.untraced { (try? syscall("read", ["\(fd)", "…", "\(chunk.count)"]) { chunk.withUnsafeMutableBytes { Glibc.read(fd.rawValue, $0.baseAddress, $0.count) } }) ?? 0 }
            guard count > 0 else { return records }
            bytes += chunk[..<count]
            var at = 0
            while at + size <= bytes.count {
                let record = bytes[at..<at + size].withUnsafeBytes { $0.loadUnaligned(as: boxlab_launch_record.self) }
                at += size
                if record.call == Int32(BOXLAB_CALL_BATCH_DONE.rawValue) { return records }
                records.append(record)
            }
            bytes.removeFirst(at)
        }
    }

    /// A child's call as strace shows it.
    private func traceEntry(_ record: boxlab_launch_record, opened: Opened) -> TraceEntry {
        let (call, arguments): (String, [String]) = switch boxlab_launch_call(UInt32(record.call)) {
        case BOXLAB_CALL_JOIN_CGROUP: ("write", ["\(opened.tasks[Int(record.argument)].descriptor)", "\"0\"", "1"])
        case BOXLAB_CALL_SETNS:
            ("setns", ["\(opened.namespaces[Int(record.argument)].descriptor)", opened.namespaces[Int(record.argument)].kind.cloneName])
        case BOXLAB_CALL_UNSHARE: ("unshare", [NamespaceKind.time.cloneName])
        case BOXLAB_CALL_FORK: ("fork", [])
        case BOXLAB_CALL_MOUNT_PROPAGATION:
            ("mount", ["NULL", "\"/\"", "NULL", "MS_REC|" + (propagation.map { "MS_" + $0.rawValue.uppercased() } ?? "0"), "NULL"])
        case BOXLAB_CALL_MOUNT_PROC: ("mount", ["\"proc\"", "\"/proc\"", "\"proc\"", "MS_NOSUID|MS_NODEV|MS_NOEXEC", "NULL"])
        case BOXLAB_CALL_SETHOSTNAME: ("sethostname", [traceQuote(hostname ?? ""), "\(hostname?.utf8.count ?? 0)"])
        case BOXLAB_CALL_DUP2:
            ("dup2", ["\([stdin, stdout, stderr][Int(record.argument)]?.rawValue ?? -1)", "\(record.argument)"])
        case BOXLAB_CALL_CHDIR: ("chdir", [tracePath(directory ?? "")])
        default: ("execve", execArguments)
        }
        let failed = record.result == -1
        return TraceEntry(call: call, arguments: arguments, result: failed ? nil : "\(record.result)", errno: failed ? Errno(record.error) : nil)
    }
}
