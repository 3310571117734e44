import Foundation
import Testing

/// `--host` is for trusted labs: a lab that is not one of BoxLab's own (any file of the test's
/// scratch directory, by path or through BOXLAB_LABS) runs its sh blocks on the host only with
/// --trust, sets only net.* sysctls, and names only the session's own processes by pid.
/// Nothing here acts on the machine: the sh block writes a canary in the scratch directory,
/// the refused sysctl would write back the value it has (and is refused before its openat),
/// the refused pids are PID 1 with signal 0 or a read.
@Suite(.enabled(if: Harness.isRoot, "needs root: mounts and namespaces"))
struct TrustTests {
    static func lab(_ id: String, _ body: String) -> String {
        "---\nid: \(id)\ntitle: Trust\n---\n## Step 1: Act\n" + body
    }

    @Test("an sh block of a lab that is not BoxLab's own is refused on the host, naming file:line; with --trust it runs")
    func shellBlock() throws {
        let harness = Harness()
        let canary = harness.base + "/canary"
        try "before\n".write(toFile: canary, atomically: true, encoding: .utf8)
        let lab = try harness.writeLab("91-shell.md", TrustTests.lab("91-shell", "```sh\necho after > \(canary)\n```\n"))
        let refusal = "91-shell.md:6: sh blocks run as root on this machine; this lab is not one of BoxLab's own: pass --trust if you trust it, or run it without --host in the sandbox"

        let byPath = try harness.boxlab("run", lab, "--host")
        #expect(byPath.status == 1)
        #expect(byPath.output.contains(refusal), "\(byPath.output)")
        // Found by id in a BOXLAB_LABS that is not the checkout's: still someone else's.
        let byName = try harness.boxlab("run", "91-shell", "--host", environment: ["BOXLAB_LABS": harness.base + "/labs"])
        #expect(byName.status == 1)
        #expect(byName.output.contains(refusal), "\(byName.output)")
        #expect(try String(contentsOfFile: canary, encoding: .utf8) == "before\n")

        let trusted = try harness.boxlab("run", lab, "--host", "--trust")
        #expect(trusted.status == 0, "\(trusted.output)")
        #expect(try String(contentsOfFile: canary, encoding: .utf8) == "after\n")
        harness.expectNothingLeft()
    }

    @Test("sysctl sets only net.* without a trusted lab on the host, refused before the file is opened; reads stay allowed",
          arguments: [[], ["--host"]])
    func machineWideSysctl(mode: [String]) throws {
        let harness = Harness()
        // The value it has: were the refusal missing, the write would change nothing.
        let value = try String(contentsOfFile: "/proc/sys/vm/swappiness", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let lab = try harness.writeLab("92-sysctl.md", TrustTests.lab("92-sysctl", "```run\nsysctl vm.swappiness\nsysctl -w vm.swappiness=\(value)\n```\n"))
        let result = try harness.run(harness.process(["run", lab] + mode))
        #expect(result.status == 1)
        harness.expectLines([
            "vm.swappiness = \(value)",
            "92-sysctl.md:8: sysctl: vm.swappiness is machine-wide: a lab may set only net.* parameters, unless it runs with --host and is one of BoxLab's own or given --trust",
        ], in: result.output)
        let afterRefused = result.output.components(separatedBy: "$ sysctl -w").last ?? ""
        #expect(!afterRefused.contains("openat"), "\(result.output)")
        harness.expectNothingLeft()
    }

    @Test("a device node of a lab that is not BoxLab's own is refused on the host before mknod; whiteouts and fifos are made")
    func deviceNodes() throws {
        let harness = Harness()
        // c 1 3 is /dev/null: were the refusal missing, the node would open nothing harmful.
        let lab = try harness.writeLab("94-mknod.md", TrustTests.lab("94-mknod", "```run\nmknod gone c 0 0\nmknod pipe p\nmknod null c 1 3\n```\n"))
        let result = try harness.run(harness.process(["run", lab, "--host"]))
        #expect(result.status == 1)
        harness.expectLines([
            "94-mknod.md:9: mknod: null: a device node c 1:3 would open one of this machine's devices",
        ], in: result.output)
        let afterRefused = result.output.components(separatedBy: "$ mknod null").last ?? ""
        #expect(!afterRefused.contains("mknod("), "\(result.output)")
        #expect(result.output.contains("mknod(\"<ws>/gone\""), "\(result.output)")
        harness.expectNothingLeft()
    }

    @Test("a net.* sysctl is set in the sandbox's own network namespace")
    func networkSysctl() throws {
        let harness = Harness()
        let lab = try harness.writeLab("93-net.md", TrustTests.lab("93-net", "```run\nsysctl -w net.ipv4.ip_forward=1\n```\n"))
        let result = try harness.boxlab("run", lab)
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("net.ipv4.ip_forward = 1"), "\(result.output)")
        harness.expectNothingLeft()
    }

    /// Lines that name PID 1, each refused before the call it would make.
    static let foreignPids: [(line: String, refused: String, call: String)] = [
        ("kill -0 1", "kill: pid 1 is not one of this session's processes: BoxLab acts only on the programs it started (and their children)", "kill("),
        ("nsenter -t 1 -n true", "nsenter: pid 1 is not one of this session's processes", "setns"),
        ("nsenter -t 1 -n ip link", "nsenter: pid 1 is not one of this session's processes", "/proc/1/ns/net"),
        ("lsns -p 1", "lsns: pid 1 is not one of this session's processes", "readlink"),
        ("echo 1 > cgroup.procs", "echo: pid 1 is not one of this session's processes", "cgroup.procs"),
        ("ip -n /proc/1/ns/net link", "ip: pid 1 is not one of this session's processes", "openat"),
        ("ip -n /proc/self/../1/ns/net link", "ip: pid 1 is not one of this session's processes", "openat"),
        ("ln -s /proc/1/ns/net h", "ln: pid 1 is not one of this session's processes", "symlink"),
    ]

    @Test("a pid that is not one of the session's is refused before the call, in the sandbox and on the host without --trust",
          arguments: 0..<foreignPids.count, [[], ["--host"]])
    func foreignPid(index: Int, mode: [String]) throws {
        let harness = Harness()
        let (line, refused, call) = TrustTests.foreignPids[index]
        let lab = try harness.writeLab("94-pid.md", TrustTests.lab("94-pid", "```run\n\(line)\n```\n"))
        let result = try harness.run(harness.process(["run", lab] + mode))
        #expect(result.status == 1)
        #expect(result.output.contains("94-pid.md:7: " + refused), "\(result.output)")
        let afterLine = result.output.components(separatedBy: "$ " + line).last ?? ""
        #expect(!afterLine.contains(call), "\(result.output)")
        harness.expectNothingLeft()
    }

    @Test("a program started by a lab that is not BoxLab's own is refused on the host before it starts",
          arguments: [("unshare --uts touch CANARY", "clone3"), ("clone -u\nexec /usr/bin/touch CANARY", "execve")])
    func programs(lines: String, call: String) throws {
        let harness = Harness()
        let canary = harness.base + "/canary"
        let lab = try harness.writeLab("97-program.md", TrustTests.lab("97-program", "```run\n\(lines.replacing("CANARY", with: canary))\n```\n"))
        let refused = try harness.boxlab("run", lab, "--host")
        #expect(refused.status == 1)
        #expect(refused.output.contains(": programs run as root on this machine; this lab is not one of BoxLab's own: pass --trust if you trust it, or run it without --host in the sandbox"), "\(refused.output)")
        #expect(!refused.output.contains(call), "\(refused.output)")
        #expect(!FileManager.default.fileExists(atPath: canary))
        try harness.resetAndExpectNothingLeft()
    }

    @Test("programs of a lab that is not BoxLab's own run on the host with --trust, and in the sandbox", arguments: [["--host", "--trust"], []])
    func trustedPrograms(mode: [String]) throws {
        let harness = Harness()
        let lab = try harness.writeLab("98-program.md", TrustTests.lab("98-program", "```run\nunshare --uts true\n```\n"))
        let result = try harness.run(harness.process(["run", lab] + mode))
        #expect(result.status == 0, "\(result.output)")
        harness.expectNothingLeft()
    }

    @Test("the session's own programs and their children may be named; a process expectation on PID 1 fails with the rule")
    func ownPids() throws {
        let harness = Harness()
        let lab = try harness.writeLab("95-own.md", TrustTests.lab("95-own", """
        ```run
        unshare --pid --fork sleep 1000 &
        c1=$!
        kill -0 $c1
        nsenter -t $c1 -n ip link
        lsns -p $c1 -t pid
        ```
        ```expect
        process $c1 running
        process 1 running
        ```

        """))
        let result = try harness.boxlab("run", lab)
        #expect(result.status == 1)
        harness.expectLines(["✓ $c1 is running", "✗ 1 is running", "found: pid 1 is not one of this session's processes"], in: result.output)
        #expect(!result.output.contains("✗ 95-own.md"), "\(result.output)")
        try harness.resetAndExpectNothingLeft()
    }

    @Test("check --set refuses a pid that is not the session's; --host --trust lifts the rule (signal 0 only)")
    func checkSetAndTrust() throws {
        let harness = Harness()
        let lab = try harness.writeLab("96-check.md", TrustTests.lab("96-check", "```run\nkill -0 1\n```\n```expect\nprocess $c1 running\n```\n"))
        // --keep: `check --host` works on the run directory the run leaves.
        let run = try harness.boxlab("run", lab, "--host", "--trust", "--keep")
        #expect(run.output.contains("kill(1, 0) = 0"), "\(run.output)")
        let check = try harness.boxlab("check", lab, "--step", "1", "--host", "--set", "c1=1")
        #expect(check.status == 2)
        #expect(check.stderr == "boxlab: --set c1=1: pid 1 is not one of this session's processes: BoxLab acts only on the programs it started (and their children)\n", "\(check.output)")
        let trusted = try harness.boxlab("check", lab, "--step", "1", "--host", "--trust", "--set", "c1=1")
        #expect(trusted.status == 0, "\(trusted.output)")
        try harness.resetAndExpectNothingLeft()
    }
}
