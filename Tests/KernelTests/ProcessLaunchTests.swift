import Glibc
import Kernel
import Testing

/// Programs started in new and joined namespaces, with what the child did read back from
/// the kernel (/proc) and from the calls it reported.
@Suite(.enabled(if: getuid() == 0, "new namespaces need root"))
struct ProcessLaunchTests {
    /// Runs `launch` to the end and returns its output and how it ended.
    private func run(_ launch: ProcessLaunch, recorder: TraceRecorder = TraceRecorder()) throws -> (String, Termination) {
        var launch = launch
        var pipe = try ChildProcess.pipe()
        launch.stdout = pipe.write
        let process = try Trace.recording(into: recorder) { try launch.start() }
        try? pipe.write.close()
        let output = String(decoding: try ChildProcess.readAll(pipe.read), as: UTF8.self)
        try? pipe.read.close()
        return (output, try ChildProcess.wait(process.child))
    }

    private func shell(_ script: String) -> ProcessLaunch {
        ProcessLaunch(path: "/bin/sh", arguments: ["sh", "-c", script], environment: ["PATH=/usr/bin:/bin"])
    }

    @Test("a new UTS namespace with its hostname set by the child")
    func uts() throws {
        var launch = shell("cat /proc/sys/kernel/hostname")
        launch.new = [.uts]
        launch.hostname = "launch-test"
        let recorder = TraceRecorder()
        let (output, termination) = try run(launch, recorder: recorder)
        #expect(output == "launch-test\n")
        #expect(termination == .exited(0))
        let calls = recorder.entries.map(\.description)
        #expect(calls.first?.hasPrefix("clone(child_stack=NULL, flags=CLONE_NEWUTS|SIGCHLD) = ") == true)
        #expect(calls.contains { $0.hasSuffix(#"sethostname("launch-test", 11) = 0"#) && $0.hasPrefix("[pid ") })
        #expect(calls.last?.contains(#"execve("/bin/sh", ["sh", "-c", "cat /proc/sys/kernel/hostname"]"#) == true)
        #expect(try Hostname.get() != "launch-test")
    }

    @Test("a new PID namespace: the program is PID 1 and sees its own /proc")
    func pid() throws {
        var launch = shell(#"echo $$; ls /proc | grep -c '^[0-9]'"#)
        launch.new = [.pid, .mnt]
        launch.propagation = .private
        launch.mountProc = true
        let (output, _) = try run(launch)
        let lines = output.split(separator: "\n")
        #expect(lines.first == "1")
        #expect(Int(lines.last ?? "") ?? 99 <= 4, "only the shell and its children: \(output)")
    }

    @Test("--map-root-user: the parent writes the maps while the child waits")
    func userMap() throws {
        var launch = shell("cat /proc/self/uid_map /proc/self/gid_map; id -u")
        launch.new = [.user]
        launch.userMap = "0 0 1"
        let (output, _) = try run(launch)
        #expect(output.split(separator: "\n").map { $0.split(separator: " ").joined(separator: " ") } == ["0 0 1", "0 0 1", "0"])
        // The file ends in a newline; the word is what a cause compares.
        #expect(["allow", "deny"].contains(ProcessTable.setgroups(of: getpid()) ?? ""))
    }

    @Test("joining a PID namespace runs the program in a grandchild, whose status comes back")
    func joinPid() throws {
        var holder = ProcessLaunch(path: "/bin/sleep", arguments: ["sleep", "100"], environment: [])
        holder.new = [.pid]
        let first = try holder.start()
        defer { try? Signals.kill(first.pid, SIGKILL); _ = try? ChildProcess.wait(first.child) }
        var launch = shell("echo $$; exit 7")
        launch.join = [(.pid, "/proc/\(first.pid)/ns/pid")]
        let recorder = TraceRecorder()
        let (output, termination) = try run(launch, recorder: recorder)
        #expect(output == "2\n")
        #expect(termination == .exited(7))
        #expect(recorder.entries.contains { $0.call.hasSuffix("] fork") })
    }

    @Test("a program that cannot be run: the child's errno comes back and nothing is left")
    func execFailure() throws {
        var launch = ProcessLaunch(path: "/nonexistent/program", arguments: ["program"], environment: [])
        launch.new = [.uts]
        let recorder = TraceRecorder()
        let error = #expect(throws: KernelError.self) { _ = try Trace.recording(into: recorder) { try launch.start() } }
        #expect(error?.call == "execve")
        #expect(error?.errno == .ENOENT)
        // The child was reaped: its pid (the clone's result) names no process any more.
        let child = try #require(recorder.entries.first { $0.call == "clone" }?.result.flatMap { Int32($0) })
        #expect(ProcessTable.startTime(of: child) == nil, "process \(child) was left unreaped")
    }

    @Test("when the parent's preparation fails, the child never runs")
    func abandoned() throws {
        struct Refused: Error {}
        let launch = shell("touch /tmp/boxlab-launch-must-not-exist")
        #expect(throws: Refused.self) { _ = try launch.start { _ in throw Refused() } }
        #expect(access("/tmp/boxlab-launch-must-not-exist", F_OK) != 0)
    }

    /// In a new user namespace without a root mapping too: the child writes to files its parent
    /// opened, and the kernel checks the opener's credentials.
    @Test("a launch runs in its cgroups from the start: cloned into a cgroup2 group, joining v1 groups itself",
          arguments: [false, true])
    func cgroups(newUserNamespace: Bool) throws {
        let layout = try CgroupLayout.detect()
        // One hierarchy of each version this machine mounts: memory's, and the unified one.
        let hierarchies = [layout.hierarchy(for: .memory), layout.hierarchies.first { $0.version == .v2 }].compactMap { $0 }
        let name = "boxlab-launch-test-\(getpid())" + (newUserNamespace ? "-userns" : "")
        var directories: [String] = []
        defer { for directory in directories { rmdir(directory) } }
        for hierarchy in hierarchies where !directories.contains(hierarchy.ownDirectory + "/" + name) {
            directories.append(hierarchy.ownDirectory + "/" + name)
            try FileSystem.mkdir(directories.last!)
        }
        var launch = shell("cat /proc/self/cgroup")
        launch.cgroups = directories
        if newUserNamespace { launch.new = [.user] }
        let recorder = TraceRecorder()
        let (output, termination) = try run(launch, recorder: recorder)
        #expect(termination == .exited(0))
        // /proc/self/cgroup: `ID:CONTROLLERS:PATH` per hierarchy, v2's with no controllers.
        let groups = output.split(separator: "\n").map { $0.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false).map(String.init) }
        for hierarchy in hierarchies {
            let controllers = hierarchy.version == .v2 ? [""] : hierarchy.controllers
            let group = groups.first { $0.count == 3 && $0[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init) == controllers }
            #expect(group?.last?.hasSuffix("/" + name) == true, "\(hierarchy.mountPoint): \(output)")
        }
        let calls = recorder.entries.map(\.description)
        if hierarchies.contains(where: { $0.version == .v2 }) {
            #expect(calls.contains { $0.hasPrefix("clone3({flags=" + (newUserNamespace ? "CLONE_NEWUSER|" : "") + "CLONE_INTO_CGROUP, exit_signal=SIGCHLD, cgroup=") })
        }
        if hierarchies.contains(where: { $0.version == .v1 }) {
            #expect(calls.contains { $0.hasPrefix("openat(AT_FDCWD, ") && $0.contains("/\(name)/tasks\", O_WRONLY|O_CLOEXEC) = ") })
            #expect(calls.contains { $0.hasPrefix("[pid ") && $0.contains("] write(") && $0.hasSuffix(#", "0", 1) = 1"#) })
        }
    }
}
