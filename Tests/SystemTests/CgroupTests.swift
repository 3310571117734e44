import Foundation
import Glibc
import Kernel
import Lab
import Testing

/// The lab's cgroups on this machine, whatever its cgroup layout: made below BoxLab's own
/// cgroup, limited, frozen, checked, and gone after `reset`.
@Suite(.enabled(if: Harness.isRoot, "needs root: cgroups"), .serialized)
struct CgroupTests {
    private func workbench() -> (Workbench, String) {
        var template = Array("/tmp/boxlab-cgroup-XXXXXX".utf8CString)
        let base = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)) }
        return (Workbench(run: RunDirectory(path: base + "/run"), isolation: .host), base)
    }

    private func check(_ line: String, _ bench: Workbench, lab: String) throws -> CheckResult {
        let evaluator = Evaluator(workspace: Workspace(root: "/"), cgroupRoot: {
            Result { () throws(CgroupError) in try bench.cgroupRoot(forLab: lab) }
        })
        return evaluator.check(try ExpectationParser.parse(line))
    }

    @Test func limitsFreezingAndResetLeaveNothing() throws {
        let (bench, base) = workbench()
        defer { try? FileSystem.removeTree(base) }
        try FileSystem.mkdir(bench.run.path)
        let root = try bench.prepareCgroups(forLab: "cgroups")
        let directories = root.group.directories
        #expect(!directories.isEmpty && directories.allSatisfy { $0.contains("/boxlab-") })
        // Each directory journaled as an intent before its mkdir, then with its inode.
        let journaled = bench.ledger.entries().compactMap { entry -> (String, UInt64?)? in
            if case .cgroup(let path, let inode) = entry { (path, inode) } else { nil }
        }
        #expect(journaled.filter { $0.1 == nil }.map(\.0).sorted() == directories.sorted())
        #expect(journaled.compactMap { path, inode in inode.map { (path, $0) } }.allSatisfy { (try? FileSystem.lstat($0.0))?.inode == $0.1 })
        #expect(journaled.count == 2 * directories.count)
        defer { _ = Reset(run: bench.run).perform() }
        #expect(try check("cgroup .", bench, lab: "cgroups").passed)
        let missing = try check("cgroup demo", bench, lab: "cgroups")
        #expect(!missing.passed)
        #expect(missing.cause?.hasPrefix("mkdir it: mkdir $") == true)

        let demo = root.group.child("demo")
        for directory in demo.directories { try FileSystem.mkdir(directory) }
        try demo.setMemoryLimit(.value(32 << 20))
        try demo.setProcessLimit(.value(10))
        try demo.setCPULimit(CPULimit(quota: .value(10000), period: 100_000))
        let memory = try demo.memoryLimit()
        #expect(memory.value == .value(32 << 20))
        #expect(String(decoding: try FileSystem.readFile(memory.files[0]), as: UTF8.self) == "33554432\n")
        #expect(try demo.processLimit().value == .value(10))
        #expect(try demo.cpuLimit().value == CPULimit(quota: .value(10000), period: 100_000))
        #expect(try check("cgroup demo memory == 32M", bench, lab: "cgroups").passed)
        #expect(try check("cgroup demo pids == 10", bench, lab: "cgroups").passed)
        #expect(try check("cgroup demo cpu == 10000/100000", bench, lab: "cgroups").passed)
        let wrong = try check("cgroup demo memory == 64M", bench, lab: "cgroups")
        #expect(!wrong.passed)
        #expect(wrong.found == "\(memory.fileNames) reads \"33554432\" (32M)")

        let sleeper = try ChildProcess.spawn("/bin/sleep", arguments: ["sleep", "60"], environment: [])
        // Reaped beside reset: a killed process keeps its cgroup busy until its parent reaps it.
        let ended = Ended()
        DispatchQueue.global().async { ended.set(try? ChildProcess.wait(sleeper)) }
        try demo.move(sleeper)
        #expect(try demo.processes() == [sleeper])
        try demo.freeze()
        #expect(try demo.freezerState().value == .frozen)
        #expect(try check("cgroup demo frozen", bench, lab: "cgroups").passed)
        try demo.thaw()
        #expect(try check("cgroup demo thawed", bench, lab: "cgroups").passed)
        try demo.freeze()

        // A frozen member must be thawed before SIGKILL takes it.
        let done = Reset(run: bench.run).perform()
        #expect(done.filter { $0.hasPrefix("removed cgroup") }.count == directories.count)
        #expect(ended.wait() == .signaled(SIGKILL))
        for directory in directories { #expect((try? FileSystem.lstat(directory)) == nil, "\(directory) is gone") }
    }

    @Test func outOfMemoryIsCounted() throws {
        let (bench, base) = workbench()
        defer { try? FileSystem.removeTree(base) }
        try FileSystem.mkdir(bench.run.path)
        let root = try bench.prepareCgroups(forLab: "oom")
        defer { _ = try? root.remove() }
        let demo = root.group.child("demo")
        for directory in demo.directories { try FileSystem.mkdir(directory) }
        try demo.setMemoryLimit(.value(32 << 20))
        // Bounded: tail holds at most 100M, and the group lets it have 32M.
        let shell = try ChildProcess.spawn("/bin/sh", arguments: ["sh", "-c", "sleep 0.2; head -c 100M /dev/zero | tail"], environment: ["PATH=/usr/bin:/bin"])
        try demo.move(shell)
        _ = try ChildProcess.wait(shell)
        #expect((try demo.oomKills()?.value ?? 0) >= 1)
        #expect(try check("cgroup demo memory.events oom_kill >= 1", bench, lab: "oom").passed)
        try root.remove()
        for directory in root.group.directories { #expect((try? FileSystem.lstat(directory)) == nil) }
    }

    @Test func aFileOfTheOtherVersionIsExplained() throws {
        let layout = try CgroupLayout.detect()
        let memory = try #require(layout.hierarchy(for: .memory))
        let name = memory.version == .v1 ? "memory.max" : "memory.limit_in_bytes"
        let outcome = CommandRunner.run("cat \(memory.ownDirectory)/\(name)", workspace: Workspace(root: memory.ownDirectory),
                                        workbench: Workbench(run: RunDirectory(path: "/tmp/unused"), isolation: .host), traced: false)
        #expect(outcome.error?.cause?.hasPrefix("this machine uses cgroup \(memory.version.rawValue) for memory") == true)
    }
}

private final class Ended: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var termination: Termination?

    func set(_ value: Termination?) {
        termination = value
        done.signal()
    }

    func wait() -> Termination? {
        done.wait()
        return termination
    }
}
