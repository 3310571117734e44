import Foundation
import Kernel

/// How a command line starts a program: in the foreground (its output becomes the
/// command's) or in the background (`&`: it keeps running, `$!` names it).
struct ProgramStart {
    var program: [String]
    var new: [NamespaceKind] = []
    var join: [(kind: NamespaceKind, path: String)] = []
    var propagation: Propagation?
    var mountProc = false
    var mapRoot = false
    /// Cgroup directories whose cgroup.procs it is written to before it runs.
    var cgroups: [String] = []
}

extension Invocation {
    /// Starts `start.program` as the line asks, journaled and marked so `reset` can kill
    /// it, and waits for it unless the line ends with `&`.
    func launch(_ start: ProgramStart) throws {
        guard let name = start.program.first else { throw failure("which program?", cause: "usage: \(command.usage)") }
        guard let path = Self.findProgram(name) else {
            throw failure("\(name): command not found", cause: "BoxLab runs programs from PATH (\(Self.searchPath)); install it or give its full path")
        }
        var launch = ProcessLaunch(path: path, arguments: start.program, environment: programEnvironment)
        launch.directory = workspace.current
        launch.new = start.new
        launch.join = start.join
        if namespace != NetworkPlaces.host, !start.new.contains(.net), !start.join.contains(where: { $0.kind == .net }) {
            launch.join.append((.net, try environment.places.path(of: namespace)))
        }
        launch.propagation = start.propagation
        launch.mountProc = start.mountProc
        if start.mapRoot { launch.userMap = "0 \(geteuid()) 1" }

        let devnull = try Trace.untraced { () throws(KernelError) in try FileSystem.open("/dev/null", flags: O_RDWR | O_CLOEXEC) }
        // The descriptors are plumbing, not what the learner asked for: their calls go untraced.
        defer { Trace.untraced { ChildProcess.close(devnull) } }
        let output: (read: Int32, write: Int32)?
        launch.stdin = devnull
        if background {
            output = nil
            let target = try outputFile()
            launch.stdout = target ?? devnull
            launch.stderr = launch.stdout
        } else {
            output = try Trace.untraced { () throws(KernelError) in try ChildProcess.pipe() }
            launch.stdout = output!.write
            launch.stderr = output!.write
        }
        defer { if background, let stdout = launch.stdout, stdout != devnull { Trace.untraced { ChildProcess.close(stdout) } } }
        let ledger = environment.ledger
        let process: LaunchedProcess
        do {
            process = try launch.start { pid in
                let startTime = Trace.untraced { ProcessTable.startTime(of: pid) } ?? 0
                try Trace.untraced { () throws(KernelError) in try ledger.record(.process(pid: pid, startTime: startTime)) }
                for directory in start.cgroups {
                    try FileSystem.writeFile(directory + "/cgroup.procs", Array("\(pid)\n".utf8), append: true)
                }
            }
        } catch {
            Trace.untraced { output.map { ChildProcess.close($0.read); ChildProcess.close($0.write) } }
            throw failure("cannot start \(name)", error, cause: (error as? KernelError).flatMap(launchCause))
        }
        guard let output else {
            let job = environment.jobs.add(process)
            try environment.variables.set(Variables.lastBackground, "\(process.pid)")
            write("[\(job)] \(process.pid)\n")
            return
        }
        let bytes = Trace.untraced { () -> [UInt8] in
            ChildProcess.close(output.write)
            defer { ChildProcess.close(output.read) }
            return (try? ChildProcess.readAll(output.read)) ?? []
        }
        write(bytes: bytes)
        let termination = try Trace.untraced { () throws(KernelError) in try ChildProcess.wait(process.child) }
        guard termination.succeeded else { throw failure("\(name) ended with \(termination)", cause: terminationCause(termination)) }
    }

    /// The file a background program's output goes to (`> FILE`), opened now: the line's
    /// redirection applies to the program, not to what BoxLab prints.
    private func outputFile() throws -> Int32? {
        guard let target = redirections.last(where: { $0.kind != .input }) else { return nil }
        redirections.removeAll()
        let flags = O_WRONLY | O_CREAT | O_CLOEXEC | (target.kind == .append ? O_APPEND : O_TRUNC)
        do { return try FileSystem.open(path(target.target), flags: flags, mode: 0o644) } catch {
            throw failure("cannot write '\(target.target)'", error)
        }
    }

    /// The session's environment plus the mark `reset` finds programs by (inherited by theirs).
    private var programEnvironment: [String] {
        var variables = ProcessInfo.processInfo.environment
        variables[RunDirectory.ownerVariable] = environment.run.path
        return variables.map { "\($0.key)=\($0.value)" }.sorted()
    }

    static var searchPath: String {
        ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    }

    /// `name` itself if it holds a slash, else the first executable of that name on PATH.
    static func findProgram(_ name: String) -> String? {
        if name.contains("/") { return access(name, X_OK) == 0 ? name : nil }
        return searchPath.split(separator: ":").map { "\($0)/\(name)" }.first { access($0, X_OK) == 0 }
    }

    private func launchCause(_ error: KernelError) -> String? {
        switch (error.call, error.errno) {
        case ("setns", .EINVAL): "that namespace cannot be joined from here (a PID namespace must be the caller's own or below it)"
        case ("openat", .ENOENT): "the process is gone: check its pid (ls /proc)"
        case ("execve", .ENOENT): "the program is not there inside the namespaces it joined"
        default: likelyCause(of: error)
        }
    }

    private func terminationCause(_ termination: Termination) -> String? {
        if termination == .signaled(SIGKILL) { return "SIGKILL: killed by `kill -9`, or by the kernel's OOM killer when its cgroup ran out of memory" }
        return nil
    }
}
