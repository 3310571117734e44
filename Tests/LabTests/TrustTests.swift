import Foundation
import Glibc
import Kernel
@testable import Lab
import Testing

/// Which labs are BoxLab's own (by where they are installed) and how far a session reaches.
struct LabTrustTests {
    static let labs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("labs").path

    static func lab(at file: String) -> Lab {
        Lab(id: "02-overlayfs", title: "T", summary: "", requires: [], minutes: nil, file: file, introduction: "", steps: [])
    }

    /// A scratch folder of the test's own, removed afterwards.
    static func withScratch(_ body: (String) throws -> Void) throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("boxlab-trust-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        try body(scratch)
    }

    @Test("the checkout's labs/ is found from the running binary, and its labs are BoxLab's own")
    func checkout() throws {
        #expect(try InstalledLabs.checkoutDirectory().map { try FileSystem.realPath($0) } == FileSystem.realPath(Self.labs))
        #expect(InstalledLabs.contains(file: Self.labs + "/02-overlayfs.md"))
        #expect(InstalledLabs.contains(file: Self.labs + "/../labs/./02-overlayfs.md"))
    }

    @Test("a copy elsewhere is not BoxLab's; a link to one of its own is, by its real path; a missing file is not")
    func elsewhere() throws {
        try Self.withScratch { scratch in
            let copy = scratch + "/02-overlayfs.md"
            try FileManager.default.copyItem(atPath: Self.labs + "/02-overlayfs.md", toPath: copy)
            #expect(!InstalledLabs.contains(file: copy))
            try FileManager.default.createSymbolicLink(atPath: scratch + "/link.md", withDestinationPath: Self.labs + "/02-overlayfs.md")
            #expect(InstalledLabs.contains(file: scratch + "/link.md"))
            // A folder named labs beside a look-alike is not the checkout's.
            try FileManager.default.createDirectory(atPath: scratch + "/labs", withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: copy, toPath: scratch + "/labs/02-overlayfs.md")
            #expect(!InstalledLabs.contains(file: scratch + "/labs/02-overlayfs.md"))
            #expect(!InstalledLabs.contains(file: scratch + "/missing.md"))
        }
    }

    @Test("the machine is reached only on the host, by a lab of BoxLab's own or with --trust")
    func reach() throws {
        try Self.withScratch { scratch in
            let run = RunDirectory(path: scratch + "/run")
            let own = Self.lab(at: Self.labs + "/02-overlayfs.md")
            let other = Self.lab(at: scratch + "/02-overlayfs.md")
            try FileManager.default.copyItem(atPath: own.file, toPath: other.file)
            #expect(Reach(lab: own, workbench: Workbench(run: run, isolation: .host)) == .machine)
            #expect(Reach(lab: other, workbench: Workbench(run: run, isolation: .host)) == .session)
            #expect(Reach(lab: other, workbench: Workbench(run: run, isolation: .host, trust: true)) == .machine)
            // A sandbox is the boundary only where its root is not the host's (the kernel's
            // uid_map says): there nothing reaches the machine, and nothing needs refusing.
            // Where this test runs as the host's root (the trusted flavour, or the host), a
            // sandbox is treated as --host is.
            for isolation in [Isolation.private, .session] {
                let boundary = !UserNamespace.mapsHostRoot
                #expect(Reach(lab: own, workbench: Workbench(run: run, isolation: isolation)) == (boundary ? .session : .machine))
                #expect(Reach(lab: other, workbench: Workbench(run: run, isolation: isolation, trust: true)) == (boundary ? .session : .machine))
                #expect(Reach(lab: other, workbench: Workbench(run: run, isolation: isolation)) == .session)
                let refusal = Reach.session.programRefusal("sh blocks", Workbench(run: run, isolation: isolation))
                #expect(boundary ? refusal == nil : refusal?.contains("whose sandbox is not a boundary") == true)
            }
            #expect(Reach.session.programRefusal("sh blocks", Workbench(run: run, isolation: .host)) != nil)
            #expect(Reach.machine.programRefusal("sh blocks", Workbench(run: run, isolation: .host)) == nil)
        }
    }

    @Test("a session names only its own processes (journaled, marked, or their children, and BoxLab), not PID 1 or BoxLab's parent; with the machine's reach, any")
    func processes() throws {
        try Self.withScratch { scratch in
            let run = RunDirectory(path: scratch + "/run")
            try FileManager.default.createDirectory(atPath: run.path, withIntermediateDirectories: true)
            let confined = SessionProcesses(run: run, reach: .session)
            #expect(confined.refusal(1) == "pid 1 is not one of this session's processes: BoxLab acts only on the programs it started (and their children)")
            // BoxLab itself is the session; its parent (the learner's shell, sudo) is not.
            #expect(confined.refusal(getpid()) == nil)
            #expect(confined.refusal(getppid()) != nil)
            #expect(SessionProcesses(run: run, reach: .machine).refusal(1) == nil)
            // A pid that names no process is nobody's: the call itself finds nothing there.
            let ended = try ChildProcess.spawn("/bin/true", arguments: ["true"], environment: [])
            _ = try ChildProcess.wait(ended)
            #expect(confined.refusal(ended) == nil)

            // Children of the test's own, ended with SIGKILL and reaped before it returns.
            let marked = try ChildProcess.spawn("/bin/sh", arguments: ["sh", "-c", "exec sleep 60"],
                                                environment: ["\(RunDirectory.ownerVariable)=\(run.path)"])
            let plain = try ChildProcess.spawn("/bin/sh", arguments: ["sh", "-c", "sleep 60 & wait"], environment: ["PATH=/usr/bin:/bin"])
            var grandchild: Int32?
            defer {
                if let grandchild { kill(grandchild, SIGKILL) }
                for pid in [marked, plain] { kill(pid, SIGKILL); _ = try? ChildProcess.wait(pid) }
            }
            for _ in 0..<200 where grandchild == nil {
                grandchild = (try? String(contentsOfFile: "/proc/\(plain)/task/\(plain)/children", encoding: .utf8))?.split(separator: " ").first.flatMap { Int32($0) }
                if grandchild == nil { usleep(10_000) }
            }
            let child = try #require(grandchild)
            #expect(confined.refusal(marked) == nil)
            #expect(confined.refusal(plain) != nil)
            #expect(confined.refusal(child) != nil)
            // A journaled pid whose start time differs is another process that got the number.
            try Ledger(path: run.ledger).record(.process(pid: plain, startTime: (ProcessTable.startTime(of: plain) ?? 0) + 1))
            #expect(confined.refusal(plain) != nil)
            try Ledger(path: run.ledger).record(.process(pid: plain, startTime: ProcessTable.startTime(of: plain) ?? 0))
            #expect(confined.refusal(plain) == nil)
            #expect(confined.refusal(child) == nil)
        }
    }
}
