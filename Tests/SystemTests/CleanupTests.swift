import Foundation
import Glibc
import Kernel
import Testing

/// Whatever way a run ends, the machine ends up as it was: by itself, or after `boxlab reset`.
@Suite(.enabled(if: Harness.isRoot, "needs root: mounts and namespaces"))
struct CleanupTests {
    /// A lab that mounts, then waits in an sh block long enough to be killed there.
    static let slowLab = """
    ---
    id: 90-slow
    title: A lab that stops in the middle
    ---
    ## Step 1: Mount an overlay
    ```run
    mkdir lower upper work merged
    echo "from lower" > lower/file.txt
    mount -t overlay overlay -o lowerdir=lower,upperdir=upper,workdir=work merged
    mkdir scratch
    mount -t tmpfs tmpfs scratch
    ```
    ```expect
    mount merged fstype=overlay
    ```
    ## Step 2: Wait
    ```sh
    echo waiting; sleep 120
    ```
    """

    /// Starts `boxlab run` of the slow lab; it stays in step 2 for two minutes.
    private func startSlowRun(_ harness: Harness, _ options: String...) throws -> Child {
        let lab = try harness.writeLab("90-slow.md", CleanupTests.slowLab)
        let run = harness.process(["run", lab] + options)
        try run.start()
        return run
    }

    @Test("a batch run leaves nothing behind, in the sandbox and on the host")
    func batch() throws {
        for mode in [[], ["--host"]] {
            let harness = Harness()
                let result = try harness.run(harness.process(["run", "02-overlayfs"] + mode))
            #expect(result.status == 0, "\(result.output)")
            harness.expectNothingLeft()
        }
    }

    @Test("host mode: SIGKILL in the middle leaves mounts and a process; reset removes them")
    func sigkillOnHost() throws {
        let harness = Harness()
        let run = try startSlowRun(harness, "--host", "--trust")
        #expect(harness.waitFor { harness.mountsOfOurs().count == 2 && harness.processesOfOurs().count >= 2 })
        kill(run.processIdentifier, SIGKILL)
        run.wait()
        #expect(harness.mountsOfOurs().count == 2, "the kill should have left the overlay and tmpfs mounted")
        #expect(!harness.processesOfOurs().isEmpty, "the sh block's sleep should have outlived boxlab")
        let reset = try harness.boxlab("reset")
        #expect(reset.status == 0, "\(reset.output)")
        #expect(reset.stdout.contains("unmounted overlay"))
        harness.expectNothingLeft()
    }

    @Test("sandbox: SIGKILL of the worker; the waiting supervisor cleans the host by itself")
    func sigkillWorker() throws {
        let harness = Harness()
        let run = try startSlowRun(harness)
        let supervisor = run.processIdentifier
        var worker: Int32?
        #expect(harness.waitFor {
            worker = harness.processesOfOurs().first { ProcessTable.parent(of: $0) == supervisor }
            return worker != nil && FileManager.default.fileExists(atPath: harness.runDir + "/workspace")
                && harness.processesOfOurs().count >= 3
        })
        if let worker { kill(worker, SIGKILL) }
        run.wait()
        #expect(run.wait() == 128 + SIGKILL)
        harness.expectNothingLeft()
    }

    @Test("sandbox: SIGKILL of every boxlab process; reset removes the rest")
    func sigkillEverything() throws {
        let harness = Harness()
        let run = try startSlowRun(harness)
        #expect(harness.waitFor { harness.processesOfOurs().count >= 3 })
        harness.killBoxLab()
        run.wait()
        #expect(FileManager.default.fileExists(atPath: harness.runDir), "the supervisor died too, so the run directory stays")
        try harness.resetAndExpectNothingLeft()
    }

    @Test("two run directories at once: runs, a REPL and reset in one leave the other's mounts and programs")
    func twoRunDirectories() throws {
        let first = Harness(), second = Harness()
        let run = try startSlowRun(first, "--host", "--trust")
        #expect(first.waitFor { first.mountsOfOurs().count == 2 && first.processesOfOurs().count >= 2 })
        let mounts = first.mountsOfOurs(), programs = first.processesOfOurs()
        for mode in [[], ["--host"]] {
            let batch = try second.run(second.process(["run", "02-overlayfs"] + mode))
            #expect(batch.status == 0, "\(batch.output)")
        }
        let repl = try second.boxlab("02-overlayfs", stdin: "next\nquit\n")
        #expect(repl.status == 0, "\(repl.output)")
        let reset = try second.boxlab("reset")
        #expect(reset.status == 0, "\(reset.output)")
        second.expectNothingLeft()
        #expect(first.mountsOfOurs() == mounts)
        #expect(first.processesOfOurs() == programs)
        kill(run.processIdentifier, SIGKILL)
        run.wait()
        try first.resetAndExpectNothingLeft()
    }

    @Test("Ctrl-C (SIGINT) during a batch run ends it and the host is cleaned")
    func interrupt() throws {
        let harness = Harness()
        let run = try startSlowRun(harness, "--host", "--trust")
        #expect(harness.waitFor { harness.mountsOfOurs().count == 2 })
        kill(run.processIdentifier, SIGINT)
        #expect(run.wait() == 128 + SIGINT)
        let reset = try harness.boxlab("reset")
        #expect(reset.status == 0)
        harness.expectNothingLeft()
    }
}
