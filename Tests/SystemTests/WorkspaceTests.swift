import Foundation
import Glibc
import Kernel
import Lab
import Testing

/// The sandbox's workspace on a disk filesystem (`DiskWorkspace`: the default where the
/// kernel's tmpfs has no user.* attributes, before Linux 6.6), chosen here with
/// BOXLAB_WORKSPACE_DISK so that it runs on any kernel.
@Suite(.enabled(if: Harness.isRoot, "needs root: mounts and namespaces"))
struct WorkspaceTests {
    @Test("a disk workspace holds lab 02's whiteouts and opaque directories, and its run removes it")
    func overlayLab() throws {
        let harness = Harness()
        let disk = harness.base + "/disk"
        let result = try harness.boxlab("run", "02-overlayfs", environment: [DiskWorkspace.placeVariable: disk])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.stdout.contains("✓ all"), "\(result.output)")
        #expect(!result.stderr.contains("not a boundary"), "\(result.stderr)")
        #expect((try? FileManager.default.contentsOfDirectory(atPath: disk)) == [], "left in \(disk)")
        harness.expectNothingLeft()
    }

    @Test("reset removes what the sandbox's root put in its disk workspace, never following a link out of it")
    func hostileContents() throws {
        let harness = Harness()
        let disk = harness.base + "/disk"
        let outside = harness.base + "/outside"
        try FileManager.default.createDirectory(atPath: outside + "/kept", withIntermediateDirectories: true)
        try "canary\n".write(toFile: outside + "/canary", atomically: false, encoding: .utf8)
        let name = DiskWorkspace.name(run: RunDirectory(path: harness.runDir))
        // Links to the directory and the file outside, and a tree deeper than removal keeps
        // descriptors open for (it moves the deep part up and goes on).
        let script = """
        set -e
        cd "$BOXLAB_RUN_DIR/workspace"
        grep " $BOXLAB_RUN_DIR/workspace " /proc/self/mountinfo | grep -q "/\(name)/workspace " && echo bound-from-disk
        ln -s \(outside) dir-link
        ln -s \(outside)/canary file-link
        mkdir deep && cd deep
        i=0; while [ $i -lt 150 ]; do mkdir d && cd d; i=$((i + 1)); done
        ln -s \(outside) inner-link
        echo bottom > bottom.txt
        echo filled
        read line || true
        """
        let sandbox = harness.process(["sandbox", "--", "sh", "-c", script], environment: [DiskWorkspace.placeVariable: disk])
        try sandbox.start()
        #expect(harness.waitFor { sandbox.output.soFar.contains("filled") }, "\(sandbox.output.soFar)")
        // While it runs: no user of the host can enter it (its owner is the sandbox's root).
        let outer = try FileSystem.lstat(disk + "/" + name)
        #expect(outer.permissions == 0o700 && outer.uid == Sandbox.rootID, "\(outer)")
        sandbox.closeInput()
        let status = sandbox.wait()
        let output = sandbox.output.finish() + sandbox.errors.finish()
        #expect(status == 0, "\(output)")
        #expect(output.contains("bound-from-disk"), "the workspace is not the disk's: \(output)")
        #expect((try? FileManager.default.contentsOfDirectory(atPath: disk)) == [], "left in \(disk)")
        #expect((try? String(contentsOfFile: outside + "/canary", encoding: .utf8)) == "canary\n")
        #expect(FileManager.default.fileExists(atPath: outside + "/kept"))
        harness.expectNothingLeft()
    }

    @Test("a place without user.* attributes: the sandbox says what is missing and is the trusted flavour")
    func placeWithoutAttributes() throws {
        let harness = Harness()
        // ramfs keeps no extended attributes at all; mounted in the test's own mount
        // namespace (the trusted sandbox it runs in), and unmounted at the end.
        let place = harness.base + "/ramfs"
        try FileManager.default.createDirectory(atPath: place, withIntermediateDirectories: true)
        try #require(mount("ramfs", place, "ramfs", 0, nil) == 0, "mount ramfs: \(String(cString: strerror(errno)))")
        defer { umount2(place, Int32(MNT_DETACH)) }
        let result = try harness.boxlab("run", "02-overlayfs", environment: [DiskWorkspace.placeVariable: place])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.stderr.contains("the sandbox is not a boundary on this machine: the sandbox's workspace needs user.* attributes"), "\(result.stderr)")
        #expect(result.stderr.contains("\(place) is on ramfs, which has none"), "\(result.stderr)")
        #expect((try? FileManager.default.contentsOfDirectory(atPath: place)) == [], "left in \(place)")
        harness.expectNothingLeft()
    }

    @Test("a run directory on a filesystem without idmapped mounts is handed to the sandbox's root (tmpfs before Linux 6.3)")
    func runDirectoryHandedOver() throws {
        let harness = Harness()
        // ramfs has no idmapped mounts (mount_setattr says EINVAL), as /run's tmpfs on 6.1.
        try FileManager.default.createDirectory(atPath: harness.runDir, withIntermediateDirectories: true)
        try #require(mount("ramfs", harness.runDir, "ramfs", 0, nil) == 0, "mount ramfs: \(String(cString: strerror(errno)))")
        var mounted = true
        defer { if mounted { umount2(harness.runDir, Int32(MNT_DETACH)) } }
        // Lab 07 starts programs, each journaled in the run directory's ledger by the sandbox.
        let result = try harness.boxlab("run", "07-network-modes")
        #expect(result.status == 0, "\(result.output)")
        #expect(result.stdout.contains("✓ all"), "\(result.output)")
        #expect((try? FileManager.default.contentsOfDirectory(atPath: harness.runDir)) == [], "left in the run directory")
        umount2(harness.runDir, Int32(MNT_DETACH))
        mounted = false
        try? FileManager.default.removeItem(atPath: harness.runDir)
        harness.expectNothingLeft()
    }
}
