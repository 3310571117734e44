import Foundation
import Glibc
import Testing

/// An instructor at a projector: `goto` between checkpoints, the notes on a second terminal,
/// and a demo recorded once and replayed.
@Suite(.enabled(if: Harness.isRoot, "needs root: mounts and namespaces"))
struct DemoTests {
    typealias OpenRepl = SessionTests.OpenRepl

    /// What `boxlab shell -c` prints in the session's workspace, and its status.
    private func inSession(_ harness: Harness, _ command: String) throws -> Harness.Result {
        try harness.boxlab("shell", "-c", command)
    }

    @Test("goto forwards performs the steps on the way and wipes nothing; backwards rebuilds from step 1")
    func gotoOverlay() throws {
        let harness = Harness()
        let repl = try OpenRepl(harness, ["02-overlayfs", "--mode", "demo", "--restart"])
        #expect(repl.waitFor("02-overlayfs 1/8>", harness))
        #expect(repl.type("goto 9", thenWaitFor: "02-overlayfs 1/8>", harness))
        #expect(repl.child.output.soFar.contains("02-overlayfs has steps 1 to 8\n"))

        #expect(repl.type("goto 3", thenWaitFor: "02-overlayfs 3/8>", harness))
        harness.expectLines(["performing steps 1-2…", "  ✓ 1. Make the layers", "  ✓ 2. Mount the union", "── Step 3/8: Writes land in the upper layer"], in: repl.child.output.soFar)
        #expect(try inSession(harness, "findmnt -n -o FSTYPE merged").stdout == "overlay\n", "step 2's mount is in the kernel")
        #expect(try inSession(harness, "touch marker").status == 0)

        #expect(repl.type("goto 5", thenWaitFor: "02-overlayfs 5/8>", harness))
        harness.expectLines(["performing steps 3-4…", "  ✓ 4. Changing a lower file copies it up"], in: repl.child.output.soFar)
        var state = try inSession(harness, "test -e marker && findmnt -n -o FSTYPE merged && cat upper/new.txt")
        #expect(state.stdout == "overlay\nwritten through merged\n", "forwards keeps the workspace: \(state.output)")
        let progress = try String(contentsOfFile: harness.stateDir + "/progress.json", encoding: .utf8)
        #expect(progress.contains("\"current\" : 5"), "\(progress)")

        #expect(repl.type("goto 2", thenWaitFor: "02-overlayfs 2/8>", harness))
        #expect(repl.child.output.soFar.contains("replaying step 1…"))
        state = try inSession(harness, "test -e marker; echo marker $?; findmnt -n merged; echo mount $?; cat lower/in_lower.txt")
        #expect(state.stdout == "marker 1\nmount 1\nI'm from lower\n", "backwards starts from an empty workspace: \(state.output)")

        // `back` shows step 2 again with step 2 done: goto 4 performs step 3 only.
        #expect(repl.type("next", thenWaitFor: "02-overlayfs 3/8>", harness))
        #expect(repl.type("back", thenWaitFor: "02-overlayfs 2/8>", harness))
        #expect(repl.type("goto 4", thenWaitFor: "02-overlayfs 4/8>", harness))
        #expect(repl.child.output.soFar.contains("performing step 3…"))
        #expect(try inSession(harness, "cat merged/new.txt").stdout == "written through merged\n")

        let ended = repl.quit()
        #expect(ended.status == 0, "\(ended.output)")
        harness.expectNothingLeft()
    }

    @Test("goto on a cgroup lab: the group is there after goto past the step that makes it, and not after goto back")
    func gotoCgroups() throws {
        let harness = Harness()
        let repl = try OpenRepl(harness, ["09-cgroups", "--mode", "demo", "--restart"])
        #expect(repl.waitFor("09-cgroups 1/6>", harness))
        // The lab's groups are below the session's: `demo` anywhere there.
        let demoGroups = {
            harness.cgroupsOfOurs().flatMap { root in
                (FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? []).filter { $0.split(separator: "/").last == "demo" }
            }
        }
        #expect(demoGroups().isEmpty)
        #expect(repl.type("goto 2", thenWaitFor: "09-cgroups 2/6>", harness))
        #expect(!demoGroups().isEmpty, "step 1 made the group: \(harness.cgroupsOfOurs()) \(repl.child.output.soFar)")
        #expect(repl.type("goto 1", thenWaitFor: "09-cgroups 1/6>", harness))
        #expect(demoGroups().isEmpty, "goto back empties the lab's cgroups: \(demoGroups())")
        #expect(repl.type("goto 2", thenWaitFor: "09-cgroups 2/6>", harness))
        #expect(!demoGroups().isEmpty, "and the step makes the group again")
        #expect(!repl.child.output.soFar.contains("✗"), "\(repl.child.output.soFar)")
        let ended = repl.quit()
        #expect(ended.status == 0, "\(ended.output)")
        harness.expectNothingLeft()
    }

    /// The session network namespace's names and links, as the kernel lists them (`ip` run
    /// through `boxlab shell`): sorted, one word each.
    private func network(_ harness: Harness, _ what: String) throws -> [String] {
        let command = what == "netns" ? "ip netns list" : "ip -o link show"
        let listed = try inSession(harness, command)
        #expect(listed.status == 0, "\(command): \(listed.output)")
        return listed.stdout.split(separator: "\n").compactMap { line in
            let words = line.split(separator: " ")
            // `ip -o link`: "2: veth-red@veth-blue: <…>"; `ip netns list`: "red (id: 0)".
            guard let first = what == "netns" ? words.first : words.dropFirst().first else { return nil }
            return String(first.split(separator: "@").first ?? first).trimmingCharacters(in: CharacterSet(charactersIn: ":"))
        }.sorted()
    }

    @Test("goto back on a network lab starts over: the namespaces and links of the steps after it are gone, those before it made anew")
    func gotoVeth() throws {
        let harness = Harness()
        let repl = try OpenRepl(harness, ["04-veth", "--mode", "demo", "--restart"])
        #expect(repl.waitFor("04-veth 1/7>", harness))
        #expect(try network(harness, "netns").isEmpty)
        // lo, and the fallback tunnels a new namespace gets where their modules are loaded.
        let bare = try network(harness, "link")

        #expect(repl.type("goto 4", thenWaitFor: "04-veth 4/7>", harness))
        #expect(try network(harness, "netns") == ["blue", "red"])
        #expect(try inSession(harness, "ip -n red link show eth0").status == 0, "step 3 put veth-red in red as eth0")

        #expect(repl.type("goto 2", thenWaitFor: "04-veth 2/7>", harness))
        #expect(repl.child.output.soFar.contains("replaying step 1…"))
        #expect(try network(harness, "netns") == ["blue", "red"], "step 1, replayed, made them again")
        #expect(try inSession(harness, "ip -n red link show eth0").status != 0, "the red made again is empty")
        #expect(try network(harness, "link") == bare, "step 2's veth pair is gone")

        #expect(repl.type("goto 4", thenWaitFor: "04-veth 4/7>", harness))
        #expect(try inSession(harness, "ip -n red link show eth0").status == 0, "steps 2 and 3 performed again")
        #expect(repl.type("goto 1", thenWaitFor: "04-veth 1/7>", harness))
        #expect(try network(harness, "netns").isEmpty, "back at the start, no namespace is left")
        #expect(try network(harness, "link") == bare)

        #expect(!repl.child.output.soFar.contains("✗"), "\(repl.child.output.soFar)")
        let ended = repl.quit()
        #expect(ended.status == 0, "\(ended.output)")
        harness.expectNothingLeft()
    }

    @Test("goto back on the bridge lab: docker0 and the containers' namespaces go with the steps that made them")
    func gotoBridge() throws {
        let harness = Harness()
        let repl = try OpenRepl(harness, ["05-bridge", "--mode", "demo", "--restart"])
        #expect(repl.waitFor("05-bridge 1/4>", harness))
        let bare = try network(harness, "link")
        #expect(repl.type("goto 4", thenWaitFor: "05-bridge 4/4>", harness))
        #expect(try network(harness, "netns") == ["c1", "c2", "c3"])
        #expect(try network(harness, "link") == (bare + ["docker0", "veth-c1", "veth-c2", "veth-c3"]).sorted())

        #expect(repl.type("goto 2", thenWaitFor: "05-bridge 2/4>", harness))
        #expect(try network(harness, "netns").isEmpty, "the containers came after step 1")
        #expect(try network(harness, "link") == (bare + ["docker0"]).sorted(), "step 1's bridge, made anew")
        #expect(try inSession(harness, "ip -o addr show docker0").stdout.contains("172.17.0.1/16"))

        #expect(repl.type("goto 1", thenWaitFor: "05-bridge 1/4>", harness))
        #expect(try network(harness, "link") == bare, "docker0 is gone")
        #expect(repl.type("goto 3", thenWaitFor: "05-bridge 3/4>", harness))
        #expect(try network(harness, "netns") == ["c1"])
        #expect(!repl.child.output.soFar.contains("✗"), "\(repl.child.output.soFar)")
        let ended = repl.quit()
        #expect(ended.status == 0, "\(ended.output)")
        harness.expectNothingLeft()
    }

    @Test("goto back in host mode removes the journaled network objects of the steps after it, and only those")
    func gotoHost() throws {
        let harness = Harness()
        // Names of this test's own: host mode here is the test sandbox's namespace, shared by the suites.
        let lab = try harness.writeLab("94-startover.md", """
        ---
        id: 94-startover
        title: Network objects made step by step
        ---
        ## Step 1: A namespace
        ```run
        ip netns add bx-so-a
        ```
        ## Step 2: A cable and a table
        ```run
        ip link add bx-so0 type veth peer name bx-so1
        nft add table inet bx_so
        ```
        ## Step 3: Another namespace
        ```run
        ip netns add bx-so-b
        ```
        """)
        let ip = { (arguments: [String]) throws -> Harness.Result in
            try harness.run(Child(executable: "/usr/sbin/ip", arguments: arguments, environment: harness.environment()))
        }
        let nft = { try harness.run(Child(executable: "/usr/sbin/nft", arguments: ["list", "table", "inet", "bx_so"], environment: harness.environment())) }
        let names = { ((try? FileManager.default.contentsOfDirectory(atPath: "/run/netns")) ?? []).filter { $0.hasPrefix("bx-so-") }.sorted() }
        let repl = try OpenRepl(harness, [lab, "--host", "--trust", "--mode", "demo", "--restart"])
        #expect(repl.waitFor("94-startover 1/3>", harness))
        #expect(repl.type("goto 3", thenWaitFor: "94-startover 3/3>", harness))
        #expect(repl.type("next", thenWaitFor: "94-startover", harness))
        #expect(harness.waitFor(10) { names() == ["bx-so-a", "bx-so-b"] }, "\(names()) \(repl.child.output.soFar)")
        #expect(try ip(["link", "show", "bx-so1"]).status == 0)
        #expect(try nft().status == 0)

        #expect(repl.type("goto 2", thenWaitFor: "94-startover 2/3>", harness))
        #expect(names() == ["bx-so-a"], "step 1 made it again, step 3's is gone")
        #expect(try ip(["link", "show", "bx-so0"]).status != 0, "the veth pair of step 2 is gone")
        #expect(try nft().status != 0, "and its table")
        #expect(try ip(["link", "show", "lo"]).status == 0)
        #expect(repl.type("goto 3", thenWaitFor: "94-startover 3/3>", harness))
        #expect(try ip(["link", "show", "bx-so0"]).status == 0, "step 2 performed again")
        #expect(!repl.child.output.soFar.contains("✗"), "\(repl.child.output.soFar)")

        let ended = repl.quit()
        #expect(ended.status == 0, "\(ended.output)")
        try harness.resetAndExpectNothingLeft()
        #expect(names().isEmpty)
        #expect(try ip(["link", "show", "bx-so0"]).status != 0)
    }

    @Test("boxlab notes prints the presenter's step, follows it, and ends with the session")
    func notes() throws {
        let harness = Harness()
        let none = try harness.boxlab("notes", "--once")
        #expect(none.status == 1)
        #expect(none.stderr.hasPrefix("boxlab: no BoxLab session is running") && none.stderr.split(separator: "\n").count == 1, "\(none.stderr)")

        let repl = try OpenRepl(harness, ["02-overlayfs", "--mode", "demo", "--restart"])
        #expect(repl.waitFor("02-overlayfs 1/8>", harness))
        let once = try harness.boxlab("notes", "--once")
        #expect(once.status == 0, "\(once.output)")
        #expect(once.stdout == "02-overlayfs — step 1/8: Make the layers\n  Point out that `echo > file` is three system calls: openat with O_CREAT|O_TRUNC, write, close.\n", "\(once.output)")

        let follower = harness.process(["notes"])
        try follower.start()
        #expect(harness.waitFor { follower.output.soFar.contains("step 1/8: Make the layers") })
        repl.type("next")
        #expect(harness.waitFor { follower.output.soFar.contains("02-overlayfs — step 2/8: Mount the union\n  Ask: which layer will in_both.txt come from?") }, "\(follower.output.soFar)")
        repl.type("goto 4")
        #expect(harness.waitFor { follower.output.soFar.contains("02-overlayfs — step 4/8: Changing a lower file copies it up") }, "\(follower.output.soFar)")
        repl.type("goto 3")
        #expect(harness.waitFor { follower.output.soFar.contains("step 3/8: Writes land in the upper layer\n  no presenter notes\n") }, "\(follower.output.soFar)")

        let ended = repl.quit()
        #expect(ended.status == 0, "\(ended.output)")
        #expect(follower.wait() == 0)
        #expect(follower.output.finish().hasSuffix("the session ended\n"))
        harness.expectNothingLeft()
    }

    @Test("a demo recorded in the REPL replays as typed, at full speed or with the gaps scaled")
    func recordAndReplay() throws {
        let harness = Harness()
        let folder = harness.base + "/demos"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let demo = folder + "/overlay.demo"

        let recorded = try harness.boxlab("02-overlayfs", "--mode", "demo", "--restart", "--record-demo", demo, stdin: "next\n\nsteps\nquit\n")
        #expect(recorded.status == 0, "\(recorded.output)")
        let lines = try String(contentsOfFile: demo, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(lines.count == 5 && lines[0].hasPrefix("# boxlab demo"), "\(lines)")
        for (line, typed) in zip(lines.dropFirst(), ["next", "", "steps", "quit"]) {
            let seconds = typed.isEmpty ? line : String(line.dropLast(typed.count + 1))
            #expect(Double(seconds) != nil && seconds.contains(".") && line.hasSuffix(typed), "\(line)")
        }

        let replayed = try harness.boxlab("02-overlayfs", "--mode", "demo", "--restart", "--replay-demo", demo, "--speed", "max")
        #expect(replayed.status == 0, "\(replayed.output)")
        harness.expectLines(["02-overlayfs 1/8> next\n", "02-overlayfs 2/8> \n", "02-overlayfs 3/8> steps\n", "▸ 3. Writes land in the upper layer", "02-overlayfs 3/8> quit\n"], in: replayed.stdout)
        #expect(replayed.stdout.contains("✓ merged is an overlay mount"), "the replayed Enter performed step 2")
        harness.expectNothingLeft()

        // Two gaps of 0.6 s at speed 2: at least 0.6 s between the first prompt and the second `status`.
        let slow = folder + "/slow.demo"
        try "# two looks at the status\n0.6 status\n0.6 status\n".write(toFile: slow, atomically: true, encoding: .utf8)
        let child = harness.process(["02-overlayfs", "--restart", "--replay-demo", slow, "--speed", "2"])
        try child.start()
        child.closeInput()
        #expect(harness.waitFor { child.output.soFar.contains("02-overlayfs 1/8> ") })
        let prompted = Date()
        #expect(harness.waitFor { child.output.soFar.components(separatedBy: "lab 02-overlayfs, step 1 of 8").count == 3 })
        let took = Date().timeIntervalSince(prompted)
        #expect(took >= 0.55, "the replay waited \(took) s for 0.6 s of scaled gaps")
        #expect(child.wait() == 0)
        harness.expectLines(["02-overlayfs 1/8> status\n"], in: child.output.finish())
        harness.expectNothingLeft()
    }

    @Test("a malformed demo file is one line naming file:line; --speed needs a demo")
    func malformedDemo() throws {
        let harness = Harness()
        let bad = try harness.writeLab("bad.demo", "0.5 next\nsoon next\n")
        let result = try harness.boxlab("02-overlayfs", "--replay-demo", bad)
        #expect(result.status == 2, "\(result.output)")
        #expect(result.stderr == "boxlab: \(bad):2: `soon` is not a number of seconds: each line is the seconds the prompt waited, then the line typed, as `1.25 next`\n", "\(result.stderr)")
        let missing = try harness.boxlab("02-overlayfs", "--replay-demo", harness.base + "/none.demo")
        #expect(missing.status == 1)
        #expect(missing.stderr.hasPrefix("boxlab: cannot open \(harness.base)/none.demo: ENOENT"), "\(missing.stderr)")
        let speed = try harness.boxlab("02-overlayfs", "--speed", "2")
        #expect(speed.status != 0 && speed.stderr.contains("--speed goes with --replay-demo FILE"), "\(speed.stderr)")
        harness.expectNothingLeft()
    }
}
