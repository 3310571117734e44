import Foundation
import Glibc
import Kernel
import Testing

/// `reset` acts on a ledger line only after checking that the object there is the one BoxLab
/// made, in a place BoxLab makes things. Every canary lives in the test's own scratch
/// directory, its own sandbox's /run/netns and network namespace, or a cgroup of its own.
@Suite(.enabled(if: Harness.isRoot, "needs root: mounts and namespaces"))
struct ResetClaimTests {
    @Test("ip netns add ../../x in --host: refused before anything is journaled; reset leaves the file there")
    func namespaceNameLeavingRunNetns() throws {
        let harness = Harness()
        let canary = harness.base + "/canary"
        try "canary\n".write(toFile: canary, atomically: true, encoding: .utf8)
        let name = "../.." + canary
        #expect(URL(fileURLWithPath: "/run/netns/" + name).standardized.path == canary)
        let lab = try harness.writeLab("91-netns-name.md", """
            ---
            id: 91-netns-name
            title: A namespace name that leaves /run/netns
            ---
            ## Step 1: Add it
            ```run
            ip netns add \(name)
            ```
            """)
        let result = try harness.boxlab("run", lab, "--host", "--keep")
        #expect(result.status == 1)
        #expect(result.output.contains("is not a namespace name"), "\(result.output)")
        let ledger = (try? String(contentsOfFile: harness.runDir + "/ledger.jsonl", encoding: .utf8)) ?? ""
        #expect(!ledger.contains("canary") && !ledger.contains("networkNamespace"), "\(ledger)")
        try harness.resetAndExpectNothingLeft()
        #expect((try? String(contentsOfFile: canary, encoding: .utf8)) == "canary\n")
    }

    @Test("a run directory that holds a file of the learner's: runs and reset remove only BoxLab's own files")
    func runDirectoryOfTheLearner() throws {
        let harness = Harness()
        let notes = harness.runDir + "/notes.txt"
        try FileManager.default.createDirectory(atPath: harness.runDir, withIntermediateDirectories: true)
        try "mine\n".write(toFile: notes, atomically: true, encoding: .utf8)
        let run = try harness.boxlab("run", "02-overlayfs", "--host")
        #expect(run.status == 0, "\(run.output)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: harness.runDir) == ["notes.txt"])
        let reset = try harness.boxlab("reset")
        #expect(reset.stdout.contains("left \(harness.runDir): it holds files BoxLab did not put there"), "\(reset.output)")
        #expect((try? String(contentsOfFile: notes, encoding: .utf8)) == "mine\n")
        try FileManager.default.removeItem(atPath: notes)
        try harness.resetAndExpectNothingLeft()
    }

    @Test("forged ledger lines naming objects BoxLab did not make: reset leaves each and says so")
    func forgedLines() throws {
        let harness = Harness()
        let tag = String(UInt32.random(in: 0...UInt32.max), radix: 16)

        // A mount outside the run directory, with its true identity; `/` with its own.
        let mountPoint = harness.base + "/canary-mount"
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        try Mounts.mount(source: "canary", target: mountPoint, fstype: "tmpfs", flags: [], data: nil)
        defer { try? Mounts.unmount(mountPoint, flags: .detach) }
        try "canary\n".write(toFile: mountPoint + "/file", atomically: true, encoding: .utf8)
        let table = try MountTable.read()
        let canaryMount = try #require(table.mount(at: mountPoint))
        let root = try #require(table.mount(at: "/"))

        // A directory outside the run directory, with its true identity.
        let directory = harness.base + "/canary-dir"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let directoryStatus = try FileSystem.lstat(directory)

        // A named namespace, a symbolic link in /run/netns and a link, none BoxLab's.
        let namespaces = NetworkNamespaces()
        let namespace = "canary-" + tag
        try namespaces.add(namespace)
        defer { try? namespaces.delete(namespace) }
        let symlink = "/run/netns/canary-link-" + tag
        try FileSystem.symlink("/proc/self/ns/net", at: symlink)
        defer { try? FileSystem.unlink(symlink) }
        let netlink = try RouteNetlink()
        let linkName = "cn" + tag.prefix(8)
        try netlink.addLink(linkName, .bridge)
        defer { try? netlink.deleteLink(.name(linkName)) }
        let linkIndex = try netlink.link(.name(linkName)).index

        // A cgroup named as BoxLab names this run directory's, and one with another name.
        let layout = try CgroupLayout.detect()
        let hierarchy = try #require(layout.hierarchy(for: .memory) ?? layout.hierarchies.first)
        let lookalike = hierarchy.ownDirectory + "/" + CgroupRoot.name(run: harness.runDir, lab: "canary")
        let other = hierarchy.ownDirectory + "/canary-" + tag
        for cgroup in [lookalike, other] { try FileSystem.mkdir(cgroup) }
        defer { for cgroup in [lookalike, other] { try? FileSystem.rmdir(cgroup) } }

        // A process BoxLab did not start.
        let sleeper = Child(executable: "/bin/sleep", arguments: ["60"], environment: [:])
        try sleeper.start()
        defer { kill(sleeper.pid, SIGKILL); sleeper.wait() }

        func json(_ text: String) -> String { String(decoding: try! JSONEncoder().encode(text), as: UTF8.self) }
        let lines = [
            #"{"mount":{"target":\#(json(mountPoint)),"mountID":\#(canaryMount.mountID),"device":"\#(canaryMount.device)"}}"#,
            #"{"mount":{"target":"/","mountID":\#(root.mountID),"device":"\#(root.device)"}}"#,
            #"{"mount":{"target":"/run/netns/\#(namespace)","mountID":1,"device":"0,1"}}"#,
            #"{"directory":{"path":\#(json(directory)),"device":"\#(directoryStatus.device)","inode":\#(directoryStatus.inode)}}"#,
            #"{"networkNamespace":{"path":"/run/netns/\#(namespace)","inode":1}}"#,
            #"{"networkNamespace":{"path":\#(json("/run/netns/../.." + directory)),"inode":\#(directoryStatus.inode)}}"#,
            #"{"namespaceLink":{"path":"\#(symlink)","inode":1}}"#,
            #"{"link":{"name":"\#(linkName)","index":\#(linkIndex + 1000)}}"#,
            #"{"link":{"name":"\#(linkName)"}}"#,
            #"{"cgroup":{"path":\#(json(lookalike)),"inode":1}}"#,
            #"{"cgroup":{"path":\#(json(other))}}"#,
            #"{"process":{"pid":\#(sleeper.pid),"startTime":1}}"#,
        ]
        try FileManager.default.createDirectory(atPath: harness.runDir, withIntermediateDirectories: true)
        try (lines.joined(separator: "\n") + "\n").write(toFile: harness.runDir + "/ledger.jsonl", atomically: true, encoding: .utf8)

        let reset = try harness.boxlab("reset")
        #expect(reset.status == 0, "\(reset.output)")
        harness.expectLines([
            "left the mount on \(mountPoint): not a place BoxLab mounts on",
            "left the mount on /: not a place BoxLab mounts on",
            "left the mount on /run/netns/\(namespace): not a place BoxLab mounts on",
            "left \(directory): not below the run directory",
            "left network namespace /run/netns/\(namespace): not the one BoxLab made",
            "left /run/netns/../..\(directory): not a name in /run/netns",
            "left \(symlink): not the one BoxLab made",
            "left link \(linkName): not the one BoxLab made",
            "left cgroup \(lookalike): not the one BoxLab made",
            "left cgroup \(other): not a cgroup BoxLab makes for this run directory",
        ], in: reset.stdout)
        #expect(!reset.stdout.contains("killed process \(sleeper.pid)"), "\(reset.stdout)")

        let after = try MountTable.read()
        #expect(after.mount(at: mountPoint)?.mountID == canaryMount.mountID)
        #expect((try? String(contentsOfFile: mountPoint + "/file", encoding: .utf8)) == "canary\n")
        #expect(after.mount(at: "/")?.mountID == root.mountID)
        #expect(FileManager.default.fileExists(atPath: directory))
        #expect(after.mount(at: "/run/netns/" + namespace)?.fstype == "nsfs")
        #expect((try? FileSystem.lstat(symlink))?.type == .symlink)
        #expect((try? netlink.link(.name(linkName)))?.index == linkIndex)
        #expect(FileManager.default.fileExists(atPath: lookalike) && FileManager.default.fileExists(atPath: other))
        #expect(!ProcessTable.hasEnded(sleeper.pid))
        // The look-alike cgroup carries this run directory's name: gone before the last check.
        for cgroup in [lookalike, other] { try? FileSystem.rmdir(cgroup) }
        harness.expectNothingLeft()
    }
}
