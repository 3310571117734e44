import CBoxLab
import FoundationEssentials
import Glibc
import Kernel
import Lab
import LiveView

/// Puts the process where a subcommand needs it: on the host, in a sandbox of its own, in
/// the session's sandbox (creating it), or joined to the running session's sandbox.
///
/// Namespaces are entered by a fresh process image, before Swift starts threads (see
/// CBoxLab/sandbox.h). A new sandbox is run by a worker child while this process, still on
/// the host, waits and then removes what the run left on the host, whatever way the worker
/// ended (exit, crash, Ctrl-C, SIGKILL).
enum Placement {
    /// On the host, holding the run directory (a host-mode REPL or batch run).
    case host
    /// On the host beside whatever session holds the run directory (`check --host` reads).
    case hostBeside
    case newPrivate
    /// The trusted flavour (host root in new mount, network, UTS and IPC namespaces), for
    /// the test suite's harness, which builds and writes the checkout.
    case newTrusted
    case newSession
    case joinSession
}

struct Launcher {
    let run = RunDirectory.default
    /// Host directories the command writes besides the run and state directories (`record`
    /// writes the transcripts folder): kept writable in the boundary, as they are.
    var writable: [String] = []
    /// Where the live view's page is served, when asked for (`--view`): by the supervisor,
    /// which stays in the host's network namespace where the browser is.
    var view: ViewAddress?
    var ledger: Ledger { Ledger(path: run.ledger) }

    /// Marks the processes (and their children) that are inside a BoxLab sandbox: the
    /// inode of its mount namespace.
    static let insideVariable = "BOXLAB_SANDBOX_NS"
    private static let workerVariable = "BOXLAB_WORKER"

    /// Why the constructor could not enter the sandbox it was asked for (CBoxLab/sandbox.c), if
    /// it could not: the process may then be in a user namespace without its root mapped.
    static func sandboxFailure() -> LaunchError? {
        guard let error = boxlab_sandbox_error() else { return nil }
        return LaunchError("cannot enter the sandbox: \(String(cString: error))",
                           fix: "BoxLab needs root and a kernel with user, mount, network, UTS, IPC and PID namespaces and mount_setattr (Linux 5.12 or later); or use --host")
    }

    /// Says once on standard error why this machine's sandbox cannot be the boundary: the
    /// sandbox is then the trusted flavour, and a lab that is not one of BoxLab's own runs
    /// its programs only with --trust, as with --host.
    static func sayBoundaryMissing(_ missing: String) {
        printError("the sandbox is not a boundary on this machine: \(missing); labs that are not BoxLab's own need --trust to run programs")
    }

    /// Returns in the process that should do the work, with where it is; exits otherwise.
    func enter(_ placement: Placement) throws -> Isolation {
        if placement == .hostBeside { return .host }
        // The locks taken here are never released: the kernel drops them when the process ends.
        if placement == .host {
            _ = try RunLock.acquire(run)
            return .host
        }
        if let failure = Launcher.sandboxFailure() { throw failure }
        let environment = ProcessInfo.processInfo.environment
        let ownMount = ProcessTable.namespace("mnt", of: nil).map(String.init) ?? "?"
        if boxlab_sandbox_entered() == 1 {
            // A supervisor's worker ends with it (the constructor saw to that): the supervisor
            // cleans the host after the worker, and a worker left running (after `kill -9`
            // of its supervisor) would go on writing while `boxlab reset` removes the run
            // directory under it.
            let isNew = environment[Launcher.workerVariable] != nil
            unsetenv(Launcher.workerVariable)
            setenv(Launcher.insideVariable, ownMount, 1)
            if isNew { try Sandbox(run: run).furnish() }
            return placement == .joinSession || placement == .newSession ? .session : .private
        }
        if environment[Launcher.insideVariable] == ownMount {
            // Inside a sandbox (`boxlab shell`): a run here would share the session's run directory.
            if placement != .joinSession { _ = try RunLock.acquire(run) }
            return placement == .joinSession || placement == .newSession ? .session : .private
        }
        switch placement {
        case .host, .hostBeside: return .host
        case .joinSession:
            guard Sandbox(run: run).exists() else {
                throw LaunchError(LaunchError.noSession, fix: "start one with `boxlab` (the REPL) in another terminal, or use --host")
            }
            setenv("BOXLAB_SANDBOX_CGROUPS", Sandbox(run: run).joinedCgroups().joined(separator: ":"), 1)
            // A boundary session's state directory is where its supervisor attached it.
            if Sandbox(run: run).holdsBoundary() { setenv("BOXLAB_STATE_DIR", Sandbox.stateDirectory, 1) }
            reexec(request: "join:" + run.sandbox, worker: false)
        case .newSession:
            // The supervisor holds the lock for the session's lifetime (its worker does not
            // inherit it); `boxlab reset` ends the session by ending the supervisor.
            let lock = try RunLock.acquire(run)
            // A session that died without its supervisor (both SIGKILLed) left its objects,
            // and reset removes the run directory it held the lock on: locked again after.
            if FileManager.default.fileExists(atPath: run.ledger) {
                Reset(run: run).perform()
                lock.release()
                _ = try RunLock.acquire(run)
            }
            let view = try serveView()
            try prepareHost()
            let boundary = try prepareBoundary()
            try Sandbox(run: run).prepare(ledger: ledger, boundary: boundary.held)
            supervise(request: (boundary.held ? "create:" : "trusted-create:") + run.sandbox, boundary: boundary.environment, view: view)
        case .newPrivate:
            _ = try RunLock.acquire(run)
            let view = try serveView()
            try prepareHost()
            let boundary = try prepareBoundary()
            supervise(request: boundary.held ? "private" : "trusted", boundary: boundary.environment, view: view)
        case .newTrusted:
            _ = try RunLock.acquire(run)
            let view = try serveView()
            try prepareHost()
            supervise(request: "trusted", boundary: [:], view: view)
        }
    }

    /// The live view's server, started before anything is made on the host, so that an
    /// address already taken leaves nothing behind.
    private func serveView() throws -> ViewHost? {
        guard let view else { return nil }
        do { return try ViewOptions.serve(view) } catch { throw LaunchError(error.description) }
    }

    /// What a new sandbox mounts on must exist on the host, journaled.
    private func prepareHost() throws {
        try Workbench.prepareHostDirectories(run)
        try Sandbox.prepareMountPoints(ledger: ledger)
    }

    /// Host side of the boundary: what the sandbox's root may write, as the constructor's
    /// variables (CBoxLab/sandbox.h). The run directory (ledger, session, workspaces) and the
    /// state directory (progress, history) stay writable; the cgroups are delegated; where
    /// tmpfs lacks user.* attributes the workspace is a directory on disk (`DiskWorkspace`).
    /// Where the machine cannot give the boundary what it needs, says why and returns the
    /// trusted flavour's environment (`held` false).
    private func prepareBoundary() throws -> (held: Bool, environment: [String: String]) {
        var workspace: [String] = []
        var environment: [String: String] = [:]
        if let disk = DiskWorkspace.chosen(run: run) {
            do {
                try disk.prepare(run: run, ledger: ledger)
            } catch {
                Launcher.sayBoundaryMissing(error.description)
                return (false, [Sandbox.fallbackVariable: error.description])
            }
            workspace = [disk.directory]
            environment[DiskWorkspace.sandboxVariable] = disk.path
        }
        let state = StateDirectory.default.path
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        let cgroups = try Sandbox(run: run).delegateCgroups(ledger: ledger)
        // The labs are read where the command names them, also below the places the sandbox
        // covers with its own (a lab file in /tmp).
        let labFiles = CommandLine.arguments.dropFirst().filter { $0.hasSuffix(".md") && FileManager.default.fileExists(atPath: $0) }
            .map { URL(fileURLWithPath: $0).deletingLastPathComponent().path }
        let shown = Set([LabCatalog.locate().directory] + labFiles).filter { FileManager.default.fileExists(atPath: $0) }.sorted()
        // The state directory is usually below /root (mode 0700, the host root's), which the
        // sandbox's root cannot cross: it is attached at a place of the sandbox's own.
        environment["BOXLAB_SANDBOX_KEEP"] = ([run.path, state + "=" + Sandbox.stateDirectory] + writable + workspace).joined(separator: ":")
        environment["BOXLAB_STATE_DIR"] = Sandbox.stateDirectory
        environment["BOXLAB_SANDBOX_SHOW"] = shown.joined(separator: ":")
        environment["BOXLAB_SANDBOX_CGROUPS"] = cgroups.attached.joined(separator: ":")
        environment["BOXLAB_SANDBOX_ENTER_CGROUPS"] = cgroups.entered.joined(separator: ":")
        return (true, environment)
    }

    /// Replaces this process with a fresh image that enters the sandbox before it starts.
    private func reexec(request: String, worker: Bool) -> Never {
        setenv("BOXLAB_SANDBOX", request, 1)
        if worker { setenv(Launcher.workerVariable, "1", 1) }
        let argv = CommandLine.arguments
        withCStrings(argv) { execv("/proc/self/exe", $0) }
        fatalExit("cannot re-execute /proc/self/exe: \(Errno.current)")
    }

    /// Runs this command again as a worker inside a new sandbox, waits, and cleans the host.
    private func supervise(request: String, boundary: [String: String], view: ViewHost?) -> Never {
        signal(SIGINT, SIG_IGN)
        signal(SIGQUIT, SIG_IGN)
        if let view {
            do { try view.handDown() } catch { fatalExit(error.description) }
        }
        var environment = ProcessInfo.processInfo.environment.merging(boundary) { $1 }
        environment["BOXLAB_SANDBOX"] = request
        environment[Launcher.workerVariable] = String(getpid())
        let status: Termination
        do {
            let pid = try ChildProcess.spawn("/proc/self/exe", arguments: CommandLine.arguments,
                                             environment: environment.map { "\($0.key)=\($0.value)" })
            status = try ChildProcess.wait(pid)
        } catch {
            fatalExit("cannot start the sandboxed worker: \(error)")
        }
        view?.stop()
        // The session sandbox is this run's own; a private run shares the run directory.
        if request.hasPrefix("create:") || request.hasPrefix("trusted-create:") { Reset(run: run).perform() } else { Reset(run: run).performUnlessSessionRuns() }
        switch status {
        case .exited(let code): exit(code)
        case .signaled(let signal):
            if signal != SIGINT { printError("the session ended: \(status)") }
            exit(128 + signal)
        }
    }
}

struct LaunchError: Error, CustomStringConvertible {
    /// What a command that works beside a session says when none runs.
    static let noSession = "no BoxLab session is running"

    var message: String
    var fix: String?
    init(_ message: String, fix: String? = nil) {
        self.message = message
        self.fix = fix
    }
    var description: String { fix.map { "\(message): \($0)" } ?? message }
}

func fatalExit(_ message: String) -> Never {
    printError(message)
    exit(1)
}
