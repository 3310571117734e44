import FoundationEssentials
import Glibc
import Kernel

/// `boxlab reset`: removes what the ledger names, in the reverse order of creation, then the
/// run directory itself. It works from the host after a crash or SIGKILL, and it also looks
/// at the kernel's own state (mounts under the run directory, processes in the sandbox), so
/// an object made in the moment before its line was written does no harm. An entry is acted
/// on only when the object there is the one the line identifies and it is in a place BoxLab
/// makes things (`ResetPlaces`); anything else is left, with a line saying so.
public struct Reset: Sendable {
    public let run: RunDirectory

    public init(run: RunDirectory) { self.run = run }

    /// After a run of its own (batch, host mode): everything, unless a REPL session is using
    /// the run directory, whose objects are not the run's to remove.
    @discardableResult
    public func performUnlessSessionRuns() -> [String] {
        Sandbox(run: run).exists() ? [] : perform()
    }

    var places: ResetPlaces { ResetPlaces(run: run) }

    /// Returns a line per object removed or left.
    @discardableResult
    public func perform() -> [String] {
        Trace.untraced {
            guard places.runIsOwnable else {
                return ["left everything: the run directory \(run.path) is not an absolute path other than / without . or .. (set BOXLAB_RUN_DIR to one)"]
            }
            var done: [String] = []
            let ledger = Ledger(path: run.ledger)
            let entries = ledger.entries()
            done += killProcesses(entries)
            if Sandbox(run: run).exists() || entries.contains(.sandbox(path: run.sandbox)) {
                done += Sandbox(run: run).teardown()
            }
            done += removeJournaledNetwork(entries)
            done += removeCgroups(entries)
            done += restoreCgroups(entries)
            done += unmountHostMounts(entries)
            done += removeMountPoints(entries)
            done += removeDirectories(entries)
            done += removeWorkspaces(entries)
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

    /// Anything mounted below the run directory, and the journaled host mounts still there
    /// with the id and device they were made with; on top at their place first, deepest
    /// first, never one with someone else's mounts below it, and without following a
    /// symbolic link at the mount point.
    private func unmountHostMounts(_ entries: [LedgerEntry]) -> [String] {
        var done: [String] = []
        var journaled: [(target: String, mountID: Int, device: String)] = []
        for case .mount(let target, let mountID, let device) in entries {
            if places.isMountPlace(target) {
                journaled.append((target, mountID, device))
            } else {
                done.append("left the mount on \(target): not a place BoxLab mounts on")
            }
        }
        let sandboxFiles = Set(([""] + Sandbox.kinds).map { $0.isEmpty ? run.sandbox : run.sandbox + "/" + $0 })
        for _ in 0..<8 {
            guard let table = try? MountTable.read() else { break }
            let ours = table.entries.filter { entry in
                !sandboxFiles.contains(entry.mountPoint) && (places.isBelowRun(entry.mountPoint) || journaled.contains {
                    $0.target == entry.mountPoint && $0.mountID == entry.mountID && $0.device == entry.device.description
                })
            }
            let oursIDs = Set(ours.map(\.mountID))
            let removable = ours.filter { entry in
                !table.entries.contains { $0.parentID == entry.mountID && $0.mountPoint == entry.mountPoint }
                    && !table.entries.contains { $0.mountPoint.hasPrefix(entry.mountPoint + "/") && !oursIDs.contains($0.mountID) }
            }
            if removable.isEmpty { break }
            for entry in removable.reversed() where (try? Mounts.unmount(entry.mountPoint, flags: [.detach, .noFollow])) != nil {
                done.append("unmounted \(entry.fstype) on \(entry.mountPoint)")
            }
        }
        if let table = try? MountTable.read() {
            var reported = Set<String>()
            for claim in journaled where !places.isBelowRun(claim.target) && reported.insert(claim.target).inserted {
                let there = table.entries.filter { $0.mountPoint == claim.target }
                if !there.isEmpty, !there.contains(where: { entry in journaled.contains { $0.mountID == entry.mountID && $0.device == entry.device.description } }) {
                    done.append("left the mount on \(claim.target): not the one BoxLab made")
                }
            }
        }
        return done
    }

    /// The journaled directories still there with the device and inode they were made with,
    /// then what BoxLab puts in the run directory, then the run directory itself if nothing
    /// else is in it.
    private func removeDirectories(_ entries: [LedgerEntry]) -> [String] {
        var done: [String] = []
        var paths: [String] = []
        var left = Set<String>()
        for case .directory(let path, let device, let inode) in entries.reversed() {
            guard let found = try? FileSystem.lstat(path) else { continue }
            if !places.isBelowRun(path) {
                done.append("left \(path): not below the run directory")
            } else if found.type != .directory || found.device.description != device || found.inode != inode {
                done.append("left \(path): not the one BoxLab made")
                left.insert(path)
            } else {
                paths.append(path)
            }
        }
        for path in paths + run.contents.filter({ !left.contains($0) }) where (try? FileSystem.lstat(path)) != nil {
            if stillHoldsMounts(path) {
                done.append("left \(path): something is still mounted below it")
                continue
            }
            if (try? FileSystem.removeTree(path)) != nil, paths.contains(path) { done.append("removed \(path)") }
        }
        if (try? FileSystem.lstat(run.path)) != nil {
            if (try? FileSystem.rmdir(run.path)) != nil {
                done.append("removed \(run.path)")
            } else {
                done.append("left \(run.path): it holds files BoxLab did not put there")
            }
        }
        return done
    }

    func stillHoldsMounts(_ path: String) -> Bool {
        !((try? MountTable.read())?.mounts(under: path).isEmpty ?? true)
    }
}
