import Testing
import Kernel

@Suite struct CgroupLayoutTests {
    private func layout(_ name: String, _ membership: String, v2: [String] = []) throws -> CgroupLayout {
        try CgroupLayout.parse(mountinfo: MountTable.parse(fixture("mountinfo-cgroup-\(name).txt")),
                               processCgroups: fixture(membership), v2Controllers: v2)
    }

    @Test func hybridAsOnThisMachine() throws {
        let layout = try layout("hybrid", "cgroup-hybrid.txt", v2: ["hugetlb"])
        #expect(layout.mode == .hybrid)
        let memory = try #require(layout.hierarchy(for: .memory))
        #expect(memory.version == .v1)
        #expect(memory.ownPath == "/process_api/c9e0a78f78512103b90ed4ab2814300a")
        #expect(memory.ownDirectory == "/sys/fs/cgroup/memory/process_api/c9e0a78f78512103b90ed4ab2814300a")
        #expect(layout.hierarchy(for: .cpu)?.ownDirectory == "/sys/fs/cgroup/cpu")
        #expect(layout.hierarchy(for: .freezer)?.version == .v1, "v1's freezer wins over cgroup.freeze")
        #expect(layout.hierarchy(for: .hugetlb)?.mountPoint == "/sys/fs/cgroup/unified")
        #expect(layout.hierarchy(for: .io) == nil)
        #expect(layout.hierarchies.contains { $0.controllers == ["name=systemd"] })
    }

    @Test func pureV2WithASystemdPath() throws {
        let layout = try layout("v2", "cgroup-v2.txt", v2: ["cpuset", "cpu", "io", "memory", "pids"])
        #expect(layout.mode == .v2)
        for controller in CgroupController.lab {
            let hierarchy = try #require(layout.hierarchy(for: controller))
            #expect(hierarchy.version == .v2)
            #expect(hierarchy.ownDirectory == "/sys/fs/cgroup/user.slice/user-0.slice/session-3.scope")
        }
    }

    @Test func pureV2AtTheRoot() throws {
        let layout = try layout("v2", "cgroup-v2-root.txt", v2: ["memory", "pids"])
        #expect(layout.hierarchy(for: .memory)?.ownDirectory == "/sys/fs/cgroup")
        #expect(layout.hierarchy(for: .freezer)?.ownPath == "/", "the freezer is cgroup.freeze")
        #expect(layout.hierarchy(for: .cpu) == nil, "cgroup.controllers does not offer cpu")
    }

    @Test func pureV1WithComountsAndANamedHierarchy() throws {
        let layout = try layout("v1", "cgroup-v1.txt")
        #expect(layout.mode == .v1)
        #expect(layout.hierarchy(for: .cpu)?.controllers == ["cpu", "cpuacct"])
        #expect(layout.hierarchy(for: .cpuacct)?.ownDirectory == "/sys/fs/cgroup/cpu,cpuacct/user.slice")
        #expect(layout.hierarchy(for: .pids)?.ownDirectory == "/sys/fs/cgroup/pids/user.slice/user-0.slice/session-1.scope")
        #expect(layout.hierarchy(for: .freezer)?.ownDirectory == "/sys/fs/cgroup/freezer")
        #expect(layout.hierarchy(containing: "/sys/fs/cgroup/memory/x/memory.max")?.version == .v1)
        #expect(layout.hierarchy(containing: "/sys/fs/cgroup/memoryx") == nil)
    }

    @Test func theLabRootIsBelowTheOwnCgroupAndStable() throws {
        let layout = try layout("v1", "cgroup-v1.txt")
        let root = try CgroupRoot.locate(run: "/run/boxlab", lab: "cgroups", layout: layout)
        #expect(root.name == CgroupRoot.name(run: "/run/boxlab", lab: "cgroups"))
        #expect(root.name.hasPrefix("boxlab-") && root.name.hasSuffix("-cgroups") && root.name.count == "boxlab-12345678-cgroups".count)
        #expect(root.name != CgroupRoot.name(run: "/tmp/other", lab: "cgroups"))
        #expect(root.directories[.memory] == "/sys/fs/cgroup/memory/user.slice/user-0.slice/session-1.scope/" + root.name)
        #expect(root.directories[.cpu] == "/sys/fs/cgroup/cpu,cpuacct/user.slice/" + root.name)
        #expect(root.group.child("demo").directories.allSatisfy { $0.hasSuffix(root.name + "/demo") })
        let journaled = "/sys/fs/cgroup/memory/elsewhere/" + root.name
        #expect(try CgroupRoot.locate(run: "/run/boxlab", lab: "cgroups", layout: layout, journaled: [journaled]).directories[.memory] == journaled)
        let v2 = try self.layout("v2", "cgroup-v2.txt", v2: ["cpu", "memory", "pids"])
        #expect(Set(try CgroupRoot.locate(run: "/run/boxlab", lab: "x", layout: v2).directories.values).count == 1)
    }

    @Test func aMissingControllerIsNamed() throws {
        let layout = try layout("v2", "cgroup-v2-root.txt", v2: ["memory", "pids"])
        #expect(throws: CgroupError.self) { try CgroupRoot.locate(run: "/r", lab: "x", layout: layout) }
        do { _ = try CgroupRoot.locate(run: "/r", lab: "x", layout: layout) } catch {
            #expect(error.message.hasPrefix("this machine has no cpu cgroup controller"))
        }
    }

    @Test func sizes() throws {
        #expect(try CgroupLimit(size: "32M") == .value(32 << 20))
        #expect(try CgroupLimit(size: "64K") == .value(64 << 10))
        #expect(try CgroupLimit(size: "1G") == .value(1 << 30))
        #expect(try CgroupLimit(size: "4096") == .value(4096))
        #expect(try CgroupLimit(size: "max") == .max)
        #expect(CgroupLimit.value(32 << 20).size == "32M")
        #expect(CgroupLimit.value(1536 << 10).size == "1536K")
        #expect(CgroupLimit.value(1000).size == "1000")
        for bad in ["32MB", "", "M", "-1", "1.5G", "99999999999999999999"] {
            #expect(throws: CgroupSizeError.self) { try CgroupLimit(size: bad) }
        }
        do { _ = try CgroupLimit(size: "32MB") } catch {
            #expect(error.description == "'32MB' is not a size: write 32M, 33554432 or max")
        }
    }

    @Test func fileNamesOfTheOtherVersionAreExplained() throws {
        let hybrid = try layout("hybrid", "cgroup-hybrid.txt", v2: ["hugetlb"])
        let memory = "/sys/fs/cgroup/memory/process_api/c9e0a78f78512103b90ed4ab2814300a/demo/"
        #expect(CgroupFileNames.explanation(for: memory + "memory.max", in: hybrid)
            == "this machine uses cgroup v1 for memory: memory.max is memory.limit_in_bytes here")
        #expect(CgroupFileNames.explanation(for: memory + "memory.limit_in_bytes", in: hybrid) == nil)
        #expect(CgroupFileNames.explanation(for: "/sys/fs/cgroup/unified/demo/memory.max", in: hybrid)
            == "this machine uses cgroup v1 for memory, at /sys/fs/cgroup/memory: memory.max is memory.limit_in_bytes there")
        #expect(CgroupFileNames.explanation(for: "/sys/fs/cgroup/cpu/demo/cpu.max", in: hybrid)?
            .hasPrefix("this machine uses cgroup v1 for cpu: cpu.max is cpu.cfs_quota_us + cpu.cfs_period_us here") == true)
        #expect(CgroupFileNames.explanation(for: "/sys/fs/cgroup/pids/demo/memory.limit_in_bytes", in: hybrid)
            == "memory.limit_in_bytes is in the memory hierarchy at /sys/fs/cgroup/memory, not in /sys/fs/cgroup/pids")
        #expect(CgroupFileNames.explanation(for: "/sys/fs/cgroup/freezer/demo/cgroup.freeze", in: hybrid)?
            .hasPrefix("this machine uses cgroup v1 for freezer: cgroup.freeze is freezer.state here") == true)
        #expect(CgroupFileNames.explanation(for: "/tmp/memory.max", in: hybrid) == nil)
        let v2 = try layout("v2", "cgroup-v2.txt", v2: ["cpu", "memory", "pids"])
        #expect(CgroupFileNames.explanation(for: "/sys/fs/cgroup/demo/memory.limit_in_bytes", in: v2)
            == "this machine uses cgroup v2 for memory: memory.limit_in_bytes is memory.max here")
        #expect(CgroupFileNames.explanation(for: "/sys/fs/cgroup/demo/tasks", in: v2)?.contains("tasks is cgroup.threads here") == true)
        #expect(CgroupFileNames.equivalent(of: "cpu.shares")?.v2 == "cpu.weight")
        #expect(CgroupFileNames.version(of: "pids.max") == nil)
    }
}
