import Foundation
import Glibc
import Kernel
import Testing
@testable import Lab

/// The one rule for lab paths (issue 12): below the workspace through the kernel's
/// RESOLVE_BENEATH walk, plus a short named allowlist outside it. No root needed.
struct PathPolicyTests {
    let policy = PathPolicy(root: "/nonexistent/ws", cgroups: [("/sys/fs/cgroup/memory/boxlab-x", "$memory")])

    private func refusal(_ path: String, _ use: PathUse, following: Bool = true) -> String? {
        do { try policy.check(path, written: path, use: use, following: following); return nil } catch {
            return (error as? PathRefusal)?.description ?? "not a refusal: \(error)"
        }
    }

    @Test("places outside the workspace are refused with the path as written and the rule", arguments: [
        "/etc/passwd", "/", "/nonexistent/wsx/a", "/proc/1/root/etc", "/proc/1/environ", "/proc/self/root", "/proc/1/ns/net/x",
        "/run/netns/a/b", "/run/other", "/sys/fs/cgroup/memory/boxlab-y/tasks", "/sys/fs/cgroup/memory/tasks", "/dev/sda",
    ])
    func outside(path: String) {
        let message = refusal(path, .read)
        #expect(message?.hasPrefix("'\(path)' is outside the workspace (lab paths stay below <ws>; allowed outside it: /proc/PID/ns/* and") == true, "\(message ?? "allowed")")
        #expect(message?.hasSuffix("/run/netns/NAME, /var/run/netns/NAME, /dev/{null,zero,full,random,urandom,tty}, below $memory)") == true, "\(message ?? "allowed")")
    }

    @Test("the kernel places the labs read", arguments: [
        "/proc/123/ns", "/proc/123/ns/net", "/proc/123/ns/pid_for_children", "/proc/self/ns/uts", "/proc/123/uid_map", "/proc/123/status",
        "/proc/123/comm", "/run/netns", "/var/run/netns", "/dev/zero", "/dev/null", "/sys/fs/cgroup/memory/boxlab-x",
    ])
    func readable(path: String) {
        #expect(refusal(path, .read) == nil)
    }

    @Test("process files, the netns directories and the cgroup directory itself are for reading", arguments: [
        "/proc/123/ns/net", "/proc/123/uid_map", "/proc/self/status",
    ])
    func readOnly(path: String) {
        #expect(refusal(path, .write)?.hasPrefix("'\(path)' may only be read (lab paths stay below <ws>") == true)
    }

    @Test func directoriesBoxLabMadeAreNotTheLabsToWrite() {
        #expect(refusal("/run/netns", .write)?.contains("is outside the workspace") == true)
        #expect(refusal("/sys/fs/cgroup/memory/boxlab-x", .write)?.contains("is outside the workspace") == true)
        #expect(refusal("/dev/null", .write) == nil)
        #expect(refusal("/dev/urandom", .write) == nil, "a device a container's /dev binds")
        #expect(refusal("/dev/sda", .read)?.contains("is outside the workspace") == true)
    }

    @Test("a step's diff holds the mounts a lab may make: in the workspace and the netns directories", arguments: [
        ("/nonexistent/ws", true), ("/nonexistent/ws/merged", true), ("/run/netns", true), ("/run/netns/c1", true),
        ("/var/run/netns/c1", true), ("/nonexistent/ws2", false), ("/run/boxlab-other/workspaces/02/merged", false), ("/", false),
    ])
    func mountsOfTheLab(mountPoint: String, mayBeTheLabs: Bool) {
        #expect(policy.mayMount(on: mountPoint) == mayBeTheLabs)
    }

    @Test func shapesOfProcessFiles() {
        #expect(PathPolicy.processFile("/proc/42/ns/mnt") == .read)
        #expect(PathPolicy.processFile("/proc/42/ns/bogus") == nil)
        #expect(PathPolicy.processFile("/proc/4x2/status") == nil)
        #expect(PathPolicy.processFile("/proc/sys/kernel") == nil)
        #expect(PathPolicy.relative("/a/b", below: "/a") == "b")
        #expect(PathPolicy.relative("/ab", below: "/a") == nil)
        #expect(PathPolicy.relative("/a", below: "/a") == "")
    }

    @Test("a path with .. is resolved lexically before the check, from the current directory")
    func dotDotFromTheCurrentDirectory() throws {
        let workspace = Workspace(root: "/nonexistent/ws")
        workspace.changeDirectory(to: "/nonexistent/ws/a/b")
        #expect(try workspace.confine("../../x", for: .write) == "/nonexistent/ws/x")
        #expect(throws: PathRefusal.self) { try workspace.confine("../../../x", for: .write) }
        #expect(throws: PathRefusal.self) { try workspace.confine("/nonexistent/x", for: .read) }
        // A command typed in the user's own shell is that user's (boxlab image build /srv/x).
        #expect(try Workspace(root: "/nonexistent/ws", confined: false).confine("/srv/x", for: .write) == "/srv/x")
    }

    @Test("the kernel's walk: symlinks inside are fine, out of the workspace refused, missing parts may not climb")
    func kernelWalk() throws {
        var template = Array("/tmp/boxlab-paths-XXXXXX".utf8CString)
        let base = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)) }
        defer { try? FileManager.default.removeItem(atPath: base) }
        let root = base + "/ws"
        try FileManager.default.createDirectory(atPath: root + "/dir", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: base + "/outside", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: root + "/in", withDestinationPath: "dir")
        try FileManager.default.createSymbolicLink(atPath: root + "/out", withDestinationPath: "../outside")
        try FileManager.default.createSymbolicLink(atPath: root + "/absolute", withDestinationPath: base + "/outside")
        try FileManager.default.createSymbolicLink(atPath: root + "/dangling", withDestinationPath: "../outside/new")
        let policy = PathPolicy(root: root, cgroups: [])
        func refused(_ relative: String, following: Bool = true) -> String? {
            do { try policy.check(root + "/" + relative, written: relative, use: .write, following: following); return nil } catch {
                return (error as? PathRefusal)?.reason ?? "\(error)"
            }
        }
        #expect(refused("in/new.txt") == nil)
        #expect(refused("dir/a/b/c") == nil)
        #expect(refused("out") == "leads out of the workspace through '..' or a symbolic link")
        #expect(refused("out", following: false) == nil, "rm out removes the link itself")
        #expect(refused("out/canary") == "leads out of the workspace through '..' or a symbolic link")
        #expect(refused("absolute/canary") == "leads out of the workspace through '..' or a symbolic link")
        #expect(refused("absolute/missing/deeper") == "leads out of the workspace through '..' or a symbolic link")
        #expect(refused("dangling") == "leads out of the workspace through '..' or a symbolic link", "echo > dangling would create ../outside/new")
        #expect(refused("dangling", following: false) == nil)
        try policy.walk(root, "dir/../in", written: "x", following: true)
        #expect(throws: PathRefusal.self) { try policy.walk(root, "dir/../../outside", written: "x", following: true) }
        #expect(throws: PathRefusal.self) { try policy.walk(root, "new/../../outside", written: "x", following: true) }
    }

    @Test("the process being set up: from its current directory in the workspace, then from its new root")
    func childPlace() {
        let workspace = Workspace(root: "/ws")
        var place = ChildPlace(current: "/ws", workspace: workspace)
        #expect(place.base(pid: 7, workspace: workspace) == "/proc/7/root/ws")
        place.update(after: .changeDirectory("box/rootfs"), workspace: workspace)
        #expect(place.relative("../../data", workspace: workspace) == "box/rootfs/../../data")
        #expect(place.relative("/ws/data", workspace: workspace) == "data")
        #expect(place.relative("/ws/box/../data", workspace: workspace) == nil)
        #expect(place.relative("/etc", workspace: workspace) == nil)
        place.update(after: .pivotRoot(newRoot: ".", putOld: "."), workspace: workspace)
        #expect(place.base(pid: 7, workspace: workspace) == "/proc/7/root")
        #expect(place.relative("/", workspace: workspace) == "")
        #expect(place.relative("dev/null", workspace: workspace) == "dev/null")
        place.update(after: .changeRoot("sub"), workspace: workspace)
        #expect(place.relative("a", workspace: workspace) == nil, "after chroot the current directory may be outside the new root")
        place.update(after: .changeDirectory("/"), workspace: workspace)
        #expect(place.relative("a", workspace: workspace) == "a")
        #expect(ChildPlace(current: "/sys/fs/cgroup/x", workspace: workspace).relative("a", workspace: workspace) == nil)
    }

    @Test("one list of an operation's paths serves both places it is made: confined for BoxLab, checked for the child")
    func operationPaths() throws {
        let overlay = SetupOperation.mount(source: "overlay", target: "merged", fstype: "overlay", flags: [],
                                           data: "lowerdir=l1:l2,upperdir=up,workdir=work,index=off")
        let named = overlay.namedPaths
        #expect(named.map(\.path) == ["merged", "l1", "l2", "up", "work"], "a device name is not a path; the overlay's directories are")
        #expect(named.map(\.use) == [.write, .read, .read, .write, .write])
        // What BoxLab hands the kernel: each path made absolute, every other string as it was.
        let confined = overlay.mappingPaths { path, _, _ throws(Never) in "/ws/" + path }
        #expect(confined == .mount(source: "overlay", target: "/ws/merged", fstype: "overlay", flags: [],
                                   data: "lowerdir=/ws/l1:/ws/l2,upperdir=/ws/up,workdir=/ws/work,index=off"))
        let bind = SetupOperation.mount(source: "data", target: "box/data", fstype: nil, flags: .bind, data: nil)
        #expect(bind.namedPaths.map(\.path) == ["box/data", "data"], "a bound source is written through the target")
        #expect(SetupOperation.symlink(target: "/proc/1/ns/net", path: "red").namedPaths.map(\.path) == ["red"], "a link's target is text")
        #expect(!SetupOperation.makeDirectory("a", permissions: 0o755, existingIsFine: true).needsProcessBeingSetUp)
        #expect(SetupOperation.pivotRoot(newRoot: ".", putOld: ".").needsProcessBeingSetUp, "BoxLab never moves its own root")
        #expect(throws: ChildOnlyOperation.self) { try SetupOperation.changeRoot("/").perform() }
    }

    @Test func cgroupGroupsStayBelowTheLabsRoot() {
        #expect(throws: ExpectationError.self) { try ExpectationParser.parse("cgroup ../../x has $p") }
        #expect(throws: ExpectationError.self) { try ExpectationParser.parse("cgroup /x") }
        #expect((try? ExpectationParser.parse("cgroup box/inner")) != nil)
    }
}
