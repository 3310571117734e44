import Glibc
import Kernel

/// Docker's embedded DNS server, BoxLab's way: a `boxlab-resolver` per container with an
/// interface on a user-defined network, in that container's network namespace (where it
/// listens on 127.0.0.11), answering from a records file BoxLab rewrites whenever who is on
/// which network changes.
extension Invocation {
    static let resolverProgram = "boxlab-resolver"
    static let recordsFile = "dns-records"

    /// Rewrites the records of every running container on a user-defined network: `NAME
    /// ADDRESS` for each other running container it shares such a network with, and for its
    /// aliases, with the address on that shared network. A container no longer running
    /// drops out of everyone's records.
    func refreshResolverRecords() {
        let containers = workbench.run.containers
        let user = Set(UserNetwork.all(workbench.run).map(\.name))
        let running = ContainerState.all(containers).filter(\.isRunning)
        for state in running {
            let mine = Set(state.endpoints.map(\.network)).intersection(user)
            let path = containers + "/" + state.name + "/" + Self.recordsFile
            // One disconnected from its last user-defined network keeps its resolver, which
            // must then answer nothing.
            guard !mine.isEmpty || Trace.untraced({ (try? FileSystem.lstat(path)) != nil }) else { continue }
            var lines: [String] = []
            for peer in running where peer.name != state.name {
                for endpoint in peer.endpoints where mine.contains(endpoint.network) {
                    // The peer's process holds the record: killed where no BoxLab sees it
                    // end (a background container), its name goes all the same.
                    for name in [peer.name] + endpoint.aliases { lines.append("\(name) \(endpoint.ipAddress) \(peer.pid):\(peer.startTime)") }
                }
            }
            let text = lines.map { $0 + "\n" }.joined()
            try? ContainerState.replace(path, with: Array(text.utf8))
        }
    }

    /// Starts the container's resolver unless one serves it already: beside the running
    /// boxlab, joining the container's network namespace before its exec, journaled and
    /// marked like every program BoxLab starts, so `reset` ends it. It ends by itself when
    /// the container's process (`--owner`) does.
    func startResolver(for state: inout ContainerState) throws {
        let user = Set(UserNetwork.all(workbench.run).map(\.name))
        guard state.endpoints.contains(where: { user.contains($0.network) }) else { return }
        if state.resolverIsRunning { return }
        let records = workbench.run.containers + "/" + state.name + "/" + Self.recordsFile
        // The container runs without one, as Docker's would with its resolver down: names fail.
        guard let program = Self.resolverPath else {
            write("\(command.name): no \(Self.resolverProgram) beside boxlab: nothing answers at 127.0.0.11 in \(state.name) (build it: swift build --product \(Self.resolverProgram))\n")
            return
        }
        if Trace.untraced({ (try? FileSystem.lstat(records)) == nil }) { try ContainerState.replace(records, with: []) }
        var launch = ProcessLaunch(path: program, arguments: [Self.resolverProgram, "--records", records, "--owner", "\(state.pid)"],
                                   environment: [RunDirectory.ownerVariable + "=" + workbench.run.path])
        launch.join = [(.net, "/proc/\(state.pid)/ns/net")]
        let devnull = try Trace.untraced { () throws(KernelError) in try FileSystem.open("/dev/null", flags: O_RDWR | O_CLOEXEC) }
        defer { devnull.discard() }
        (launch.stdin, launch.stdout, launch.stderr) = (devnull, devnull, devnull)
        let process: LaunchedProcess
        do { process = try launch.start(beforeRelease: journaled()) } catch {
            throw failure("cannot start the embedded resolver of \(state.name)", error)
        }
        state.resolverPID = process.pid
        state.resolverStartTime = Trace.untraced { ProcessTable.startTime(of: process.pid) }
        try state.save(workbench.run.containers)
    }

    static var resolverPath: String? { programBesideBoxLab(resolverProgram) }

    /// One of BoxLab's own programs (boxlab-resolver, boxlab-flannel) in the directory of the
    /// running executable (/proc/self/exe's), where the build and the package put them.
    static func programBesideBoxLab(_ name: String) -> String? {
        guard let executable = Trace.untraced({ try? FileSystem.readlink("/proc/self/exe") }) else { return nil }
        let path = String(executable[..<(executable.lastIndex(of: "/") ?? executable.startIndex)]) + "/" + name
        return access(path, X_OK) == 0 ? path : nil
    }
}
