import Glibc
import Kernel

extension Command {
    static let flannel = Command(
        "flannel", usage: "flannel --etcd-endpoints=URL --iface=NAME [--etcd-prefix=/coreos.com/network] [--subnet-lease-ttl=SECONDS] [--vni=1] [--port=8472] [> LOG] &",
        summary: "flanneld's vxlan backend (BoxLab's boxlab-flannel) for the current network namespace's host: leases a subnet in etcd, sets up flannel.1 and docker0, routes to the other hosts' subnets",
        rawArguments: true,
        startsPrograms: true
    ) { call in
        try call.startFlannel()
    }
}

/// The `flannel` command: starts `boxlab-flannel` beside the running boxlab, as the embedded
/// resolver is started, in the network namespace of the line (`ip netns exec node2 flannel …
/// &`) and in a mount namespace of its own (its /run/flannel/subnet.env is its host's, not
/// the sandbox's), journaled so that `reset` ends it. The line returns once the agent has
/// said it is ready: it holds its lease, has written the subnet file and programmed the
/// leases already in etcd, so the lab's next line sees a settled state.
extension Invocation {
    static let flannelProgram = "boxlab-flannel"
    /// How long the agent may take to become ready: an etcd that does not answer makes it
    /// give up sooner (its own timeout), so this is a bound, never a wait.
    static let flannelReadiness = 5.0

    func startFlannel() throws {
        if let refusal = reach.programRefusal("programs", workbench) { throw failure(refusal) }
        guard background else {
            throw failure("the agent runs until it is stopped", cause: "end the line with & (then $! is its pid), as flanneld is started in the background")
        }
        guard let program = Self.programBesideBoxLab(Self.flannelProgram) else {
            throw failure("no \(Self.flannelProgram) beside boxlab", cause: "build it: swift build --product \(Self.flannelProgram)")
        }
        // Its log (flanneld's lines, stderr) goes where the line sends output, else to NS-flannel.log.
        if redirections.isEmpty {
            redirections = [Redirection(kind: .write, target: (namespace == NetworkPlaces.host ? "" : namespace + "-") + "flannel.log")]
        }
        let logName = redirections.last { $0.kind != .input }?.target ?? "flannel.log"
        let logPath = try path(logName, for: .write)
        guard let log = try outputFile() else { throw failure("\(logName): no log file") }
        var launch = ProcessLaunch(path: program, arguments: [Self.flannelProgram] + operands,
                                   environment: [RunDirectory.ownerVariable + "=" + workbench.run.path])
        launch.new = [.mnt]
        launch.propagation = .private
        if namespace != NetworkPlaces.host { launch.join = [(.net, workbench.places.path(of: namespace))] }
        let devnull = try Trace.untraced { () throws(KernelError) in try FileSystem.open("/dev/null", flags: O_RDWR | O_CLOEXEC) }
        var ready = try Trace.untraced { () throws(KernelError) in try ChildProcess.pipe() }
        defer {
            devnull.discard()
            log.discard()
            ready.read.discard()
        }
        (launch.stdin, launch.stdout, launch.stderr) = (devnull, ready.write, log)
        let process: LaunchedProcess
        do { process = try launch.start(beforeRelease: journaled()) } catch {
            ready.write.discard()
            throw failure("cannot start \(Self.flannelProgram)", error)
        }
        let job = workbench.jobs.add(process)
        let line = Trace.untraced { () -> [UInt8]? in
            try? ready.write.close()
            return try? ChildProcess.readLine(ready.read, timeout: Self.flannelReadiness)
        }
        guard let line, line.starts(with: Array("ready ".utf8)) else {
            // Not ready: it ended (its log says why) or hangs, and then is stopped, so nothing half-made runs on.
            if line == nil { _ = try? Trace.untraced { () throws(KernelError) in try Signals.kill(process.pid, SIGTERM) } }
            _ = workbench.jobs.waitForEnd(of: process.pid, timeout: 2)
            let why = Self.lastLine(of: logPath) ?? "it wrote nothing to \(logName)"
            throw failure(line == nil ? "\(Self.flannelProgram) was not ready within \(Int(Self.flannelReadiness)) s: \(why)" : "\(Self.flannelProgram) failed: \(why)",
                          cause: "its log is \(logName)")
        }
        try workbench.variables.set(Variables.lastBackground, "\(process.pid)")
        write("[\(job)] \(process.pid)\n")
    }

    /// The last line of the agent's log, without flanneld's severity and time prefix.
    private static func lastLine(of path: String) -> String? {
        guard let bytes = Trace.untraced({ try? FileSystem.readFile(path) }) else { return nil }
        guard let line = String(decoding: bytes, as: UTF8.self).split(separator: "\n").last else { return nil }
        // `E1207 13:40:00.123456 message`: the message is what the learner needs.
        let words = line.split(separator: " ", maxSplits: 2)
        if words.count == 3, let first = words[0].first, "IEW".contains(first), words[0].count == 5 { return String(words[2]) }
        // A usage error names the program, which the message names already.
        let program = flannelProgram + ": "
        return line.hasPrefix(program) ? String(line.dropFirst(program.count)) : String(line)
    }
}
