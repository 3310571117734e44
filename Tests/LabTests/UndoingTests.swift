import Foundation
import Kernel
@testable import Lab
import Testing

/// A failing `not X` says what holds and how to undo it.
@Suite("Failing not")
struct UndoingTests {
    @Test("the cause is the inverse of the command that makes the expectation true")
    func undoing() throws {
        func cause(_ line: String) throws -> String? { try ExpectationParser.parse(line).undoing }
        #expect(try cause("netns blue") == "`ip netns del blue` removes it")
        #expect(try cause("link eth0 in red")?.hasPrefix("`ip -n red link del eth0` removes it; a veth goes with its peer") == true)
        #expect(try cause("link eth0 in $box")?.hasPrefix("`nsenter -t $box -n ip link del eth0` removes it") == true)
        #expect(try cause("link veth-c3")?.hasPrefix("`ip link del veth-c3` removes it") == true)
        #expect(try cause("address 10.0.0.1/24 on eth0 in red") == "`ip -n red addr del 10.0.0.1/24 dev eth0` removes it")
        #expect(try cause("route default in $none") == "`nsenter -t $none -n ip route del default` removes it")
        #expect(try cause("mount scratch in $c3") == "`umount scratch` removes it")
        #expect(try cause("resolve db from $client")?.hasPrefix("$client finds db in its /etc/hosts (a --link line) or through the embedded resolver") == true)
        #expect(try cause("cgroup demo pids.events max >= 1") == nil)
    }

    @Test("a failing not names what holds and how to undo it; a passing one says nothing more")
    func failingNot() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("undoing-\(getpid())").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        try "left\n".write(toFile: root + "/kept", atomically: true, encoding: .utf8)
        let evaluator = Evaluator(workspace: Workspace(root: root))
        let failing = evaluator.check(try ExpectationParser.parse("not file kept"))
        #expect(!failing.passed)
        #expect(failing.found == "kept is a regular file reading \"left\"")
        #expect(failing.cause == "`rm kept` removes it")
        let passing = evaluator.check(try ExpectationParser.parse("not file gone"))
        #expect(passing.passed && passing.found == nil && passing.cause == nil)
    }

    @Test("a mount that should not be here, in a shared peer group, says where it may have come from")
    func propagated() throws {
        func table(_ optional: [String]) -> MountTable {
            MountTable(entries: [MountInfoEntry(mountID: 70, parentID: 1, device: DeviceNumber(major: 0, minor: 70), root: "/", mountPoint: "/ws/box/rootfs",
                                                mountOptions: ["rw"], optionalFields: optional, fstype: "overlay", source: "overlay", superOptions: ["rw"])])
        }
        let expectation = try ExpectationParser.parse("not mount box/rootfs")
        let shared = Evaluator(workspace: Workspace(root: "/ws"), variables: nil, processes: nil, mounts: table(["shared:5"]))
        let result = shared.check(expectation)
        #expect(!result.passed && result.found == "box/rootfs is an overlay mount")
        #expect(result.cause == "box/rootfs is shared (peer group 5): a mount made in another mount namespace of its group appears here too; `mount --make-rprivate /` there before mounting keeps it in; `umount box/rootfs` removes it")
        let own = Evaluator(workspace: Workspace(root: "/ws"), variables: nil, processes: nil, mounts: table([]))
        #expect(own.check(expectation).cause == "`umount box/rootfs` removes it")
    }
}
