import Glibc
import Kernel
import Testing

/// A child held between clone and exec: it runs the operations it is sent, in its own
/// namespaces, reports each, survives a failed one, and becomes the program on exec.
@Suite(.enabled(if: getuid() == 0, "new namespaces need root"))
struct HeldProcessTests {
    @Test("operations run in the child's namespaces, one batch at a time; a failure ends the batch, not the child")
    func batches() throws {
        let scratch = try FileSystem.makeTemporaryDirectory(prefix: "/tmp/boxlab-held.")
        defer { try? FileSystem.removeTree(scratch) }
        var launch = ProcessLaunch(program: ["held"])
        launch.new = [.mnt, .uts, .pid]
        var pipe = try ChildProcess.pipe()
        launch.stdout = pipe.write
        let recorder = TraceRecorder()
        var held = try Trace.recording(into: recorder) { try launch.startHeld() }
        try? pipe.write.close()
        defer { try? pipe.read.close() }

        try Trace.recording(into: recorder) {
            try held.run([
                .mount(source: nil, target: "/", fstype: nil, flags: [.recursive, .private], data: nil),
                .mount(source: "tmpfs", target: scratch, fstype: "tmpfs", flags: [], data: "mode=755"),
                .makeDirectory(scratch + "/a", permissions: 0o700, existingIsFine: false),
                .setHostname("held"),
            ])
        }
        #expect(try Hostname.of(held.pid) == "held")
        #expect(try Hostname.get() != "held")
        // The tmpfs is in the child's mount namespace only: here the directory is still empty.
        #expect(try FileSystem.listDirectory(scratch).isEmpty)
        #expect(try FileSystem.lstat("/proc/\(held.pid)/root\(scratch)/a").permissions == 0o700)

        // A failed call is reported with its errno; the child keeps waiting.
        #expect(throws: KernelError.self) {
            try held.run([.makeDirectory(scratch + "/a", permissions: 0o755, existingIsFine: false), .setHostname("never")])
        }
        #expect(try Hostname.of(held.pid) == "held", "the batch stopped at the failure")
        try held.run([.makeDirectory(scratch + "/a", permissions: 0o755, existingIsFine: true)])

        try Trace.recording(into: recorder) {
            try held.run([.exec(path: "/bin/sh", arguments: ["sh", "-c", "echo $$; cat /proc/sys/kernel/hostname"], environment: [])])
        }
        #expect(held.released)
        #expect(String(decoding: try ChildProcess.readAll(pipe.read), as: UTF8.self) == "1\nheld\n")
        #expect(try ChildProcess.wait(held.child) == .exited(0))
        let calls = recorder.entries.map(\.description)
        #expect(calls.contains("[pid \(held.pid)] mount(NULL, \"/\", NULL, MS_REC|MS_PRIVATE, NULL) = 0"), "\(calls)")
        #expect(calls.contains("[pid \(held.pid)] mkdir(\"\(scratch)/a\", 0700) = 0"))
        #expect(calls.last == "[pid \(held.pid)] execve(\"/bin/sh\", [\"sh\", \"-c\", \"echo $$; cat /proc/sys/kernel/hostname\"], 0x… /* 0 vars */) = 0")
    }

    @Test("a held child that is let go exits without running anything")
    func letGo() throws {
        var launch = ProcessLaunch(program: ["held"])
        launch.new = [.uts]
        var held = try launch.startHeld()
        held.close()
        #expect(try ChildProcess.wait(held.child) == .exited(127))
    }
}
