import FoundationEssentials
import Glibc
import Kernel

/// `boxlab reset`: removes everything the ledger names, in the reverse order of creation,
/// then the run directory itself. It works from the host after a crash or SIGKILL, and it
/// also looks at the kernel's own state (mounts under the run directory, processes in the
/// sandbox), so an entry lost to a crash between journaling and creating does no harm.
public struct Reset: Sendable {
    public let run: RunDirectory

    public init(run: RunDirectory) { self.run = run }

    /// After a run of its own (batch, host mode): everything, unless a REPL session is using
    /// the run directory, whose objects are not the run's to remove.
    @discardableResult
    public func performUnlessSessionRuns() -> [String] {
        Sandbox(run: run).exists() ? [] : perform()
    }

    /// Returns a line per object removed.
    @discardableResult
    public func perform() -> [String] {
        Trace.untraced {
            var done: [String] = []
            let ledger = Ledger(path: run.ledger)
            let entries = ledger.entries()
            done += killProcesses(entries)
            if Sandbox(run: run).exists() || entries.contains(.sandbox(path: run.sandbox)) {
                done += Sandbox(run: run).teardown()
            }
            done += removeNetworkObjects(entries)
            done += removeCgroups(entries)
            done += restoreCgroups(entries)
            done += unmountHostMounts(entries)
            done += removeMountPoints(entries)
            done += removeDirectories(entries)
            return done
        }
    }

    /// Every program BoxLab started (journaled with its start time) and every process carrying
    /// our run directory in its environment (their children), but never this process or its
    /// ancestors.
    private func killProcesses(_ entries: [LedgerEntry]) -> [String] {
        kill(journaledPrograms(entries) + ProcessTable.withEnvironment("\(RunDirectory.ownerVariable)=\(run.path)"))
    }

    /// The programs a lab's commands started, still running: a lab starting over ends them
    /// (but not the learner's shells, which carry the mark too).
    @discardableResult
    public func killPrograms() -> [String] {
        Trace.untraced { kill(journaledPrograms(Ledger(path: run.ledger).entries())) }
    }

    func journaledPrograms(_ entries: [LedgerEntry]) -> [Int32] {
        var journaled: [Int32] = []
        for case .process(let pid, let startTime) in entries where ProcessTable.startTime(of: pid) == startTime {
            journaled.append(pid)
        }
        return journaled
    }

    private func kill(_ pids: [Int32]) -> [String] {
        var killed: [Int32] = []
        let spared = ProcessTable.ancestry(of: getpid())
        for pid in Set(pids).sorted() where !spared.contains(pid) {
            if (try? Signals.kill(pid, SIGKILL)) != nil { killed.append(pid) }
        }
        waitForExit(killed)
        return killed.map { "killed process \($0)" }
    }

    /// Journaled host mounts, and anything still mounted below the run directory, deepest first.
    private func unmountHostMounts(_ entries: [LedgerEntry]) -> [String] {
        var done: [String] = []
        for _ in 0..<8 {
            guard let table = try? MountTable.read() else { break }
            var journaled = Set<String>()
            for case .mount(let target) in entries { journaled.insert(target) }
            let sandboxFiles = Set(([""] + Sandbox.kinds).map { $0.isEmpty ? run.sandbox : run.sandbox + "/" + $0 })
            let ours = table.entries.filter {
                (journaled.contains($0.mountPoint) || $0.mountPoint.hasPrefix(run.path + "/")) && !sandboxFiles.contains($0.mountPoint)
            }
            // A mount with someone else's mounts below it (another session's namespaces in
            // /run/netns) stays: detaching it would take theirs.
            let oursPoints = Set(ours.map(\.mountPoint))
            let removable = ours.filter { entry in
                !table.entries.contains { $0.mountPoint.hasPrefix(entry.mountPoint + "/") && !oursPoints.contains($0.mountPoint) }
            }
            if removable.isEmpty { break }
            for entry in removable.reversed() where (try? Mounts.unmount(entry.mountPoint, flags: .detach)) != nil {
                done.append("unmounted \(entry.fstype) on \(entry.mountPoint)")
            }
        }
        return done
    }

    private func removeDirectories(_ entries: [LedgerEntry]) -> [String] {
        var done: [String] = []
        var paths: [String] = []
        for case .directory(let path) in entries.reversed() { paths.append(path) }
        for path in paths + [run.path] where (try? FileSystem.lstat(path)) != nil {
            if stillHoldsMounts(path) {
                done.append("left \(path): something is still mounted below it")
                continue
            }
            if (try? FileSystem.removeTree(path)) != nil { done.append("removed \(path)") }
        }
        return done
    }

    private func stillHoldsMounts(_ path: String) -> Bool {
        !((try? MountTable.read())?.mounts(under: path).isEmpty ?? true)
    }
}
