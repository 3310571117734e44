import Foundation
import Glibc
import Testing

/// A learner with the REPL open does the work by hand with the standard tools in
/// `boxlab shell`, and `boxlab check` judges it from the kernel's state.
@Suite(.enabled(if: Harness.isRoot, "needs root: mounts and namespaces"))
struct SessionTests {
    /// The REPL, driven through a pipe as a person at a keyboard would, kept open while the test works beside it.
    final class OpenRepl {
        let child: Child

        init(_ harness: Harness, _ arguments: [String]) throws {
            child = harness.process(arguments)
            try child.start()
        }

        func type(_ line: String) { child.type(line + "\n") }

        func waitFor(_ text: String, _ harness: Harness) -> Bool {
            harness.waitFor { child.output.soFar.contains(text) }
        }

        /// Types `line` and waits until `text` appears once more than it had (a prompt seen before).
        func type(_ line: String, thenWaitFor text: String, _ harness: Harness) -> Bool {
            let seen = child.output.soFar.components(separatedBy: text).count
            type(line)
            return harness.waitFor { child.output.soFar.components(separatedBy: text).count > seen }
        }

        func quit() -> (status: Int32, output: String) {
            child.closeInput()
            let status = child.wait()
            return (status, child.output.finish())
        }
    }

    @Test("work done by hand in boxlab shell passes check; near-misses fail with the cause")
    func checkByHand() throws {
        let harness = Harness()
        let repl = try OpenRepl(harness, ["02-overlayfs", "--mode", "exercise"])
        #expect(repl.waitFor("02-overlayfs 1/8>", harness))
        repl.type("skip")
        #expect(repl.waitFor("02-overlayfs 2/8>", harness))

        var check = try harness.boxlab("check", "02-overlayfs", "--step", "2")
        #expect(check.status == 1, "nothing is mounted yet: \(check.output)")
        #expect(check.stdout.contains("nothing is mounted at merged"))

        var shell = try harness.boxlab("shell", "-c", "mount -t overlay overlay -o lowerdir=upper,upperdir=lower,workdir=work merged")
        #expect(shell.status == 0, "\(shell.output)")
        check = try harness.boxlab("check", "02-overlayfs", "--step", "2")
        #expect(check.status == 1)
        #expect(check.stdout.contains("lowerdir and upperdir are swapped"), "\(check.stdout)")

        shell = try harness.boxlab("shell", "-c", "umount merged && mount -t overlay overlay -o lowerdir=lower,upperdir=upper,workdir=work merged && findmnt -n -o FSTYPE merged")
        #expect(shell.stdout == "overlay\n", "\(shell.output)")
        check = try harness.boxlab("check", "02-overlayfs", "--step", "2", "--json")
        #expect(check.status == 0, "\(check.output)")

        // Steps 3 and 4 by hand; then step 5 done wrong: deleted in upper/ instead of merged/.
        shell = try harness.boxlab("shell", "-c", """
            echo "written through merged" > merged/new.txt
            echo "changed in the container" >> merged/in_lower.txt
            """)
        #expect(shell.status == 0, "\(shell.output)")
        #expect(try harness.boxlab("check", "02-overlayfs", "--step", "4").status == 0)
        #expect(try harness.boxlab("shell", "-c", "rm upper/in_both.txt").status == 0)
        check = try harness.boxlab("check", "02-overlayfs", "--step", "5")
        #expect(check.status == 1)
        #expect(check.stdout.contains("leaves no whiteout; delete it through the merged view"), "\(check.stdout)")
        check = try harness.boxlab("check", "02-overlayfs", "--step", "4")
        #expect(check.status == 1, "a later mistake re-flags the step it undoes")
        #expect(check.stdout.contains("step 1 (Make the layers) no longer holds"), "\(check.stdout)")

        let ended = repl.quit()
        #expect(ended.status == 0, "\(ended.output)")
        harness.expectNothingLeft()
    }

    @Test("the REPL takes commands from a pipe, guided, and cleans up when input ends")
    func guidedThroughPipe() throws {
        let harness = Harness()
        let result = try harness.boxlab("02-overlayfs", "--restart", stdin: "help\nnext\n\nstatus\nsteps\nls -l upper\nhint\nbogus-command\nback\nreset --to 3\nquit\n")
        #expect(result.status == 0, "\(result.output)")
        let out = result.stdout
        #expect(out.contains("REPL commands:"))
        #expect(out.contains("mount(\"overlay\", \"<ws>/merged\", \"overlay\", 0, \"lowerdir=<ws>/lower,upperdir=<ws>/upper,workdir=<ws>/work,userxattr\") = 0"))
        #expect(out.contains("✓ merged is an overlay mount"))
        #expect(out.contains("lab 02-overlayfs, step 3 of 8"))
        #expect(out.contains("-rw-r--r-- 1 root root 15 in_upper.txt"))
        #expect(out.contains("unknown command 'bogus-command'"))
        #expect(out.contains("replaying steps 1-2"))
        harness.expectNothingLeft()
        let progress = try String(contentsOfFile: harness.stateDir + "/progress.json", encoding: .utf8)
        #expect(progress.contains("\"current\" : 3"))
    }

    @Test("demo mode: notes are shown, and play performs the rest of the lab")
    func demo() throws {
        let harness = Harness()
        let result = try harness.boxlab("02-overlayfs", "--mode", "demo", "--restart", stdin: "play 0\nquit\n")
        #expect(result.status == 0, "\(result.output)")
        #expect(result.stdout.contains("note: Point out that `echo > file` is three system calls"))
        #expect(result.stdout.contains("✓ 02-overlayfs complete."))
        let progress = try String(contentsOfFile: harness.stateDir + "/progress.json", encoding: .utf8)
        #expect(progress.contains("8\n"), "every step is recorded as done: \(progress)")
        harness.expectNothingLeft()
    }

    @Test("a second REPL is refused while one runs; shell and check need a session")
    func oneSession() throws {
        let harness = Harness()
        let shell = try harness.boxlab("shell", "-c", "true")
        #expect(shell.status == 1)
        #expect(shell.stderr.contains("no BoxLab session is running"))
        let repl = try OpenRepl(harness, ["02-overlayfs"])
        #expect(repl.waitFor("1/8>", harness))
        // The REPL's first process supervises the session and holds the run directory.
        let holder = "boxlab: a BoxLab session is already running in \(harness.runDir) (pid \(repl.child.pid)): "
        for arguments in [["02-overlayfs"], ["run", "02-overlayfs"], ["run", "02-overlayfs", "--host"]] {
            let second = try harness.run(harness.process(arguments))
            #expect(second.status == 1)
            #expect(second.stderr.hasPrefix(holder) && second.stderr.split(separator: "\n").count == 1, "\(second.stderr)")
            #expect(second.stderr.contains("`boxlab reset` to end it"))
        }
        #expect(try harness.boxlab("shell", "-c", "true").status == 0, "shell joins the session beside it")
        _ = repl.quit()
        harness.expectNothingLeft()
    }

    @Test("boxlab shell joins the session's cgroup namespace, rooted at the groups delegated to the sandbox")
    func cgroupNamespace() throws {
        let harness = Harness()
        let repl = try OpenRepl(harness, ["09-cgroups"])
        defer {
            _ = repl.quit()
            harness.expectNothingLeft()
        }
        #expect(repl.waitFor("1/6>", harness))
        let shell = try harness.boxlab("shell", "-c", "readlink /proc/self/ns/cgroup /proc/1/ns/cgroup; cat /proc/self/cgroup")
        #expect(shell.status == 0, "\(shell.output)")
        let lines = shell.stdout.split(separator: "\n").map(String.init)
        // Where the kernel cannot hold the boundary, the session is the trusted flavour,
        // which has no namespaces of the user or cgroup kind.
        let boundary = try harness.boxlab("shell", "-c", "cat /proc/self/uid_map")
        guard boundary.stdout.split(whereSeparator: \.isWhitespace).prefix(2) != ["0", "0"] else {
            #expect(lines.first == (try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/ns/cgroup")))
            return
        }
        let own = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/ns/cgroup")
        #expect(lines.count > 2 && lines[0] == lines[1] && lines[0] != own, "the shell and the sandbox's init share a cgroup namespace of their own: \(shell.stdout)")
        // The memory controller's line (a v1 hierarchy, or cgroup2's `0::`): at the
        // namespace's root, or in the leaf BoxLab moved the session into.
        let memory = lines.dropFirst(2).first { line in
            let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            return fields.count == 3 && (fields[1].split(separator: ",").contains("memory") || fields[0] == "0")
        }
        #expect(memory.map { $0.hasSuffix(":/") || $0.hasSuffix(":/boxlab-self") } == true, "\(shell.stdout)")
    }

    @Test("boxlab reset ends the session that holds the run directory, then removes everything")
    func resetEndsSession() throws {
        let harness = Harness()
        let repl = try OpenRepl(harness, ["02-overlayfs"])
        #expect(repl.waitFor("1/8>", harness))
        repl.type("next")
        #expect(repl.waitFor("2/8>", harness))
        let reset = try harness.boxlab("reset")
        #expect(reset.status == 0, "\(reset.output)")
        #expect(reset.stdout.contains("ended the session of pid \(repl.child.pid)"), "\(reset.stdout)")
        #expect(repl.child.wait() == 128 + SIGKILL)
        harness.expectNothingLeft()
        let fresh = try harness.boxlab("02-overlayfs", stdin: "quit\n")
        #expect(fresh.status == 0, "a new session starts after the reset: \(fresh.output)")
        harness.expectNothingLeft()
    }
}
