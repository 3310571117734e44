import Foundation
import Glibc
import Kernel
import Testing

/// Programs BoxLab starts in namespaces: never left behind, checkable when started by hand,
/// and bad input refused with the fix.
@Suite(.enabled(if: Harness.isRoot, "needs root: namespaces"))
struct ProcessTests {
    /// Starts programs that outlive the step (one with an empty environment, so only the
    /// ledger knows it), writes their pids to files, then waits to be killed.
    static let backgroundLab = """
    ---
    id: 91-background
    title: Programs left running
    ---
    ## Step 1: Start them
    ```run
    unshare --pid --fork --mount-proc sleep 1000 &
    c1=$!
    unshare --uts env -i sleep 1001 &
    c2=$!
    ```
    ```expect
    process $c1 running
    process $c2 running
    ```
    ## Step 2: Wait
    ```sh
    echo $c1 > c1.pid; echo $c2 > c2.pid; echo waiting; sleep 120
    ```
    """

    @Test("sandbox: SIGKILL of boxlab ends its programs with the sandbox's pid namespace")
    func sigkillEndsSandbox() throws {
        let harness = Harness()
        let lab = try harness.writeLab("91-background.md", ProcessTests.backgroundLab)
        try harness.runKilledWhileWaiting(lab, [])
        #expect(harness.waitFor(5) { harness.processesOfOurs().isEmpty }, "the programs outlived the sandbox: \(harness.processesOfOurs())")
        // What is left on the host (the run directory, the delegated cgroups) is reset's.
        let reset = try harness.boxlab("reset")
        #expect(reset.status == 0, "\(reset.output)")
        harness.expectNothingLeft()
    }

    @Test("--host: SIGKILL of boxlab leaves its programs running; reset kills them, journaled or marked", arguments: [["--host", "--trust"]])
    func sigkillThenReset(mode: [String]) throws {
        let harness = Harness()
        let lab = try harness.writeLab("91-background.md", ProcessTests.backgroundLab)
        try harness.runKilledWhileWaiting(lab, mode)
        // The ledger names them, journaled between their clone and their first instruction.
        let ledger = (try? String(contentsOfFile: harness.runDir + "/ledger.jsonl", encoding: .utf8)) ?? ""
        let sleepers = ledger.split(separator: "\n").compactMap { line -> Int32? in
            guard line.contains("\"process\""), let range = line.range(of: #""pid":(\d+)"#, options: .regularExpression) else { return nil }
            return Int32(line[range].dropFirst(6))
        }.filter { ["sleep 1000", "sleep 1001"].contains(ProcessTable.commandLine(of: $0)) }
        #expect(sleepers.count == 2, "both programs were running and journaled: \(ledger)")
        #expect(sleepers.allSatisfy { !ProcessTable.hasEnded($0) }, "SIGKILL of boxlab does not reach them")
        let reset = try harness.boxlab("reset")
        #expect(reset.status == 0, "\(reset.output)")
        #expect(harness.waitFor(5) { sleepers.allSatisfy { ProcessTable.hasEnded($0) } }, "reset: \(reset.stdout)")
        harness.expectNothingLeft()
    }

    @Test("unshare and nsenter by hand in boxlab shell pass check; a near-miss says what is missing")
    func checkByHand() throws {
        let harness = Harness()
        let repl = try SessionTests.OpenRepl(harness, ["01-namespaces", "--mode", "exercise"])
        #expect(repl.waitFor("01-namespaces 1/7>", harness))

        // Near miss: a program in the session's own UTS namespace, renamed there.
        var shell = try harness.boxlab("shell", "-c", "sleep 1000 >/dev/null 2>&1 & echo $!")
        let wrong = try #require(Int32(shell.stdout.trimmingCharacters(in: .whitespacesAndNewlines)), "\(shell.output)")
        var check = try harness.boxlab("check", "01-namespaces", "--step", "1", "--set", "c1=\(wrong)")
        #expect(check.status == 1)
        #expect(check.stdout.contains("✗ $c1 and host are in different uts namespaces"), "\(check.stdout)")
        #expect(check.stdout.contains("found: both are in uts:["))
        #expect(check.stdout.contains("cause: a program gets a new uts namespace from unshare --uts (clone with CLONE_NEWUTS)"))

        shell = try harness.boxlab("shell", "-c", "unshare --uts sleep 1000 >/dev/null 2>&1 & echo $!")
        let right = try #require(Int32(shell.stdout.trimmingCharacters(in: .whitespacesAndNewlines)), "\(shell.output)")
        shell = try harness.boxlab("shell", "-c", "nsenter -t \(right) -u hostname box1")
        #expect(shell.status == 0, "\(shell.output)")
        check = try harness.boxlab("check", "01-namespaces", "--step", "1", "--set", "c1=\(right)")
        #expect(check.status == 0, "\(check.output)")
        #expect(check.stdout.contains("✓ $c1's hostname is box1"))

        let quit = repl.quit()
        #expect(quit.status == 0, "\(quit.output)")
        // wrong and right are pids in the session's pid namespace: from here, they are the
        // processes that carry the session's mark.
        #expect(harness.waitFor(5) { harness.processesOfOurs().isEmpty }, "the session's end takes what was started in its shell")
        harness.expectNothingLeft()
    }

    @Test("bad process input: one line each, with the fix, and nothing left")
    func badInput() throws {
        let harness = Harness()
        let result = try harness.boxlab("01-namespaces", "--restart", stdin: """
            unshare --pid sleep 1
            unshare --frob sleep 1
            unshare sleep 1
            unshare -u no-such-program-here
            nsenter -t 999999 -n ip addr
            nsenter -t $nothere -u hostname
            lsns -t bogus
            kill -FOO 1
            mkdir x &
            c1=notapid
            kill $c1
            quit

            """)
        #expect(result.status == 0)
        harness.expectLines([
            "✗ unshare: --pid needs --fork here",
            "✗ unshare: unknown option --frob",
            "✗ unshare: no namespace to make",
            "✗ unshare: no-such-program-here: command not found",
            "✗ nsenter: process 999999 does not exist",
            "✗ $nothere is not set: set it with nothere=VALUE (nothere=$! names the last program started with '&') (column 12)",
            "✗ lsns: unknown namespace type: bogus",
            "✗ kill: unknown signal FOO",
            "✗ mkdir: '&' starts a program in the background",
            "✗ kill: 'notapid' is not a pid",
        ], in: result.stdout)
        #expect(!result.output.contains("Fatal error"))
        harness.expectNothingLeft()
    }
}

/// The cgroups lab done by hand: the learner's own writes, checked from the kernel's files.
@Suite(.enabled(if: Harness.isRoot, "needs root: cgroups"))
struct CgroupLabTests {
    @Test("limits set by hand in boxlab shell pass check; a wrong value says what the kernel holds")
    func byHand() throws {
        let harness = Harness()
        let repl = try SessionTests.OpenRepl(harness, ["09-cgroups", "--mode", "exercise"])
        #expect(repl.waitFor("09-cgroups 1/6>", harness))

        var shell = try harness.boxlab("shell", "-c", "mkdir -p $memory/demo $pids/demo $cpu/demo $freezer/demo")
        #expect(shell.status == 0, "\(shell.output)")
        #expect(try harness.boxlab("check", "09-cgroups", "--step", "1").status == 0)

        // The file of this machine's version: memory.max on v2, memory.limit_in_bytes on v1.
        let limit = #"f=$memory/demo/memory.max; [ -e $f ] || f=$memory/demo/memory.limit_in_bytes; echo "#
        shell = try harness.boxlab("shell", "-c", limit + "64M > $f")
        #expect(shell.status == 0, "\(shell.output)")
        var check = try harness.boxlab("check", "09-cgroups", "--step", "2")
        #expect(check.status == 1)
        #expect(check.stdout.contains("✗ demo's memory limit is 32M"), "\(check.stdout)")
        #expect(check.stdout.contains("(64M)"), "the found line names the kernel's value: \(check.stdout)")

        shell = try harness.boxlab("shell", "-c", limit + """
            32M > $f
            [ ! -e $memory/demo/memory.swap.max ] || echo 0 > $memory/demo/memory.swap.max
            [ ! -e $memory/demo/memory.memsw.limit_in_bytes ] || echo 32M > $memory/demo/memory.memsw.limit_in_bytes
            sh -c 'echo $$; echo $$ > $memory/demo/cgroup.procs; exec dd if=/dev/zero of=/dev/null bs=100M count=1 2>/dev/null'
            true
            """)
        let hog = try #require(shell.stdout.split(separator: "\n").first.flatMap { Int32($0) }, "\(shell.output)")
        check = try harness.boxlab("check", "09-cgroups", "--step", "2", "--set", "hog=\(hog)")
        #expect(check.status == 0, "\(check.output)")
        #expect(check.stdout.contains("✓ demo's memory.events oom_kill >= 1"), "\(check.stdout)")

        let quit = repl.quit()
        #expect(quit.status == 0, "\(quit.output)")
        harness.expectNothingLeft()
    }
}

extension CgroupLabTests {
    static let slowCgroupLab = """
    ---
    id: 92-cgroup-slow
    title: A cgroup left with a program in it
    requires: [root, cgroups]
    ---
    ## Step 1: A group with a program
    ```run
    mkdir -p $memory/held $pids/held $cpu/held $freezer/held
    cgexec -g memory,pids:held sleep 1002 &
    held=$!
    ```
    ```expect
    cgroup held
    process $held running
    ```
    ## Step 2: Wait
    ```sh
    echo waiting; sleep 120
    ```
    """

    @Test("SIGKILL in the middle of a cgroup lab; reset kills the program and removes every cgroup", arguments: [["--host", "--trust"], []])
    func sigkillThenReset(mode: [String]) throws {
        let harness = Harness()
        let lab = try harness.writeLab("92-cgroup-slow.md", CgroupLabTests.slowCgroupLab)
        try harness.runKilledWhileWaiting(lab, mode)
        #expect(!harness.cgroupsOfOurs().isEmpty, "the lab's cgroups outlive boxlab")
        let reset = try harness.boxlab("reset")
        #expect(reset.status == 0, "\(reset.output)")
        #expect(reset.stdout.contains("removed cgroup"), "\(reset.stdout)")
        harness.expectNothingLeft()
    }

    @Test("bad cgroup input: the other version's file, a value that is not a size, a controller or group that is not there")
    func badInput() throws {
        let harness = Harness()
        let v2 = (try? CgroupLayout.detect())?.hierarchy(for: .memory)?.version == .v2
        let (wrong, right) = v2 ? ("memory.limit_in_bytes", "memory.max") : ("memory.max", "memory.limit_in_bytes")
        let result = try harness.boxlab("09-cgroups", "--restart", stdin: """
            mkdir -p $memory/demo
            echo 32M > $memory/demo/memory.wrong-name
            echo 32M > $memory/demo/\(wrong)
            echo 32MB > $memory/demo/\(right)
            cgexec -g bogus:demo sleep 1
            cgexec -g memory:nothere sleep 1
            quit

            """)
        #expect(result.status == 0)
        // On a v2 machine $memory is the one tree, shown as $cgroup.
        let tree = v2 ? "$cgroup" : "$memory"
        harness.expectLines([
            "✗ echo: cannot write '\(tree)/demo/memory.wrong-name'",
            "cause: a cgroup directory holds only the kernel's files, and memory.wrong-name is not one of them: ls the directory to see them",
            "cause: this machine uses cgroup \(v2 ? "v2" : "v1") for memory: \(wrong) is \(right) here",
            "✗ echo: cannot write '\(tree)/demo/\(right)': EINVAL (Invalid argument)",
            "✗ cgexec: no lab cgroups for bogus",
            "✗ cgexec: cgroup nothere does not exist in the memory hierarchy",
        ], in: result.stdout)
        #expect(!result.output.contains("Fatal error"))

        let lab = try harness.writeLab("94-bad-size.md", "---\nid: 94-bad-size\ntitle: Bad size\nrequires: [cgroups]\n---\n## Step 1: A limit\n```run\nmkdir -p $memory/x\n```\n```expect\ncgroup x memory == 32MB\n```\n")
        let bad = try harness.run(harness.process(["run", lab]))
        #expect(bad.status != 0)
        #expect(bad.output.contains("\(lab):11:") && bad.output.contains("'32MB' is not a size: write 32M, 33554432 or max"), "\(bad.output)")
        harness.expectNothingLeft()
    }
}
