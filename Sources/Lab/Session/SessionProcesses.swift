import Glibc
import Kernel

/// The processes a session may name by pid: `kill`, `nsenter -t`, `lsns -p`, `ip link set …
/// netns PID`, a pid written to cgroup.procs or tasks, `check --set NAME=PID` and process
/// expectations.
///
/// Without a PID namespace of the session's own, a pid names any process of the machine:
/// `kill -STOP 1` stops init, `nsenter -t 1` enters the host's namespaces. So a session acts
/// only on the programs BoxLab started for it and their children: a process BoxLab journaled
/// (pid and start time, so a reused pid is not taken for it), or one that carries the mark
/// BoxLab gives every program it starts (BOXLAB_OWNER=<run directory>, inherited by theirs
/// and set in `boxlab shell`), or a descendant of either; and BoxLab itself, but none of its
/// ancestors (the learner's shell, sudo, the sandbox's supervisor). With `Reach.machine`
/// (--host and a trusted lab) any process is.
public struct SessionProcesses: Sendable {
    let run: RunDirectory
    let reach: Reach

    public init(run: RunDirectory, reach: Reach) {
        self.run = run
        self.reach = reach
    }

    /// Why the session may not act on `pid`, in one line, or nil when it may. A pid that names
    /// no running process is nobody's: the call finds nothing there (kill: ESRCH), and an
    /// expectation says the program has ended.
    public func refusal(_ pid: Int32) -> String? {
        guard reach == .session, !Trace.untraced({ ProcessTable.hasEnded(pid) }), !contains(pid) else { return nil }
        return "pid \(pid) is not one of this session's processes: BoxLab acts only on the programs it started (and their children)"
    }

    private func contains(_ pid: Int32) -> Bool {
        Trace.untraced {
            let own = getpid()
            if pid == own { return true }
            guard pid > 0, !ProcessTable.ancestry(of: own).contains(pid) else { return false }
            let journaled = Set(Reset(run: run).journaledPrograms(Ledger(path: run.ledger).entries()))
            let mark = "\(RunDirectory.ownerVariable)=\(run.path)"
            var current = pid
            var seen: Set<Int32> = []
            while current > 1, seen.insert(current).inserted {
                if journaled.contains(current) || ProcessTable.environment(of: current, holds: mark) { return true }
                guard let parent = ProcessTable.parent(of: current) else { return false }
                current = parent
            }
            return false
        }
    }
}

extension Invocation {
    /// Throws, naming the command, unless the session may act on `pid`.
    func requireOwn(_ pid: Int32) throws {
        if let refusal = SessionProcesses(run: workbench.run, reach: reach).refusal(pid) { throw failure(refusal) }
    }

    /// A path into a process's /proc directory (`ip -n /proc/PID/ns/net`, `ln -s
    /// /proc/PID/ns/net /run/netns/NAME`) acts on that process's namespaces, so it must be the
    /// session's. Links to the file are followed and the kernel resolves its directory (a
    /// namespace file itself has no path for realpath to give), so `/proc/self/../1/ns/net`
    /// or a link to it is seen as PID 1's.
    func requireOwnProcess(at path: String) throws {
        var path = path
        for _ in 0..<8 {
            guard let target = try? Trace.untraced({ () throws(KernelError) in try FileSystem.readlink(path) }) else { break }
            path = target.hasPrefix("/") ? target : String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)]) + "/" + target
        }
        let directory = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        let real = (try? Trace.untraced { () throws(KernelError) in try FileSystem.realPath(directory.isEmpty ? "/" : directory) }) ?? directory
        let parts = real.split(separator: "/")
        guard parts.count >= 2, parts[0] == "proc", let pid = Int32(parts[1]) else { return }
        try requireOwn(pid)
    }

    /// A pid written to a cgroup's process list moves that process into the lab's group, where
    /// a limit or the freezer then acts on it: each must be the session's.
    func requireOwnProcesses(writtenTo path: String) throws {
        guard ["cgroup.procs", "cgroup.threads", "tasks"].contains(path.split(separator: "/").last.map(String.init) ?? "") else { return }
        for word in printed.split(whereSeparator: \.isWhitespace) {
            if let pid = Int32(word) { try requireOwn(pid) }
        }
    }
}
