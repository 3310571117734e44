@testable import Kernel
import Testing

@Suite("Where a lab's cgroups go")
struct CgroupRootTests {
    static func v2(mountPoint: String, own: String) -> CgroupHierarchy {
        CgroupHierarchy(version: .v2, controllers: ["memory", "pids"], mountPoint: mountPoint, ownPath: "/", ownDirectory: own)
    }

    @Test("groups are made beside BoxLab's leaf, also where the leaf's parent is the mount's root (the sandbox's cgroup namespace, the root cgroup)")
    func besideTheLeaf() {
        let sandbox = "/sys/fs/cgroup/learner.scope/boxlab-9fd3cf52-sandbox"
        // Inside the sandbox the delegated group is the namespace's root, bound at its host path.
        #expect(CgroupRoot.own(in: Self.v2(mountPoint: sandbox, own: sandbox + "/boxlab-self")) == sandbox)
        #expect(CgroupRoot.own(in: Self.v2(mountPoint: "/sys/fs/cgroup", own: "/sys/fs/cgroup/boxlab-self")) == "/sys/fs/cgroup")
        #expect(CgroupRoot.own(in: Self.v2(mountPoint: "/sys/fs/cgroup", own: "/sys/fs/cgroup/user.slice/boxlab-self")) == "/sys/fs/cgroup/user.slice")
        #expect(CgroupRoot.own(in: Self.v2(mountPoint: "/sys/fs/cgroup", own: "/sys/fs/cgroup/user.slice")) == "/sys/fs/cgroup/user.slice")
        let v1 = CgroupHierarchy(version: .v1, controllers: ["memory"], mountPoint: "/sys/fs/cgroup/memory", ownPath: "/boxlab-self", ownDirectory: "/sys/fs/cgroup/memory/boxlab-self")
        #expect(CgroupRoot.own(in: v1) == "/sys/fs/cgroup/memory/boxlab-self", "v1 has no leaf of BoxLab's")
    }
}

/// A group without the controller a call needs is BoxLab's finding, said in a sentence; no
/// file was opened, so no errno is shown.
struct CgroupConditionTests {
    @Test func aMissingControllerIsASentenceNotAnErrno() {
        let group = Cgroup(places: [.pids: .init(version: .v1, directory: "/nonexistent/pids/boxlab-x")])
        #expect(throws: CgroupError("this lab's cgroups have no memory controller: the machine mounts no hierarchy with it, or the lab's group does not enable it")) {
            try group.memoryLimit()
        }
        #expect(throws: CgroupError.self) { try group.counter("blkio.stat", "x") }
        #expect(throws: CgroupError("the group has neither a v1 devices directory nor a cgroup2 one to attach a device program to")) {
            try group.allowOnlyDevices([])
        }
    }
}
