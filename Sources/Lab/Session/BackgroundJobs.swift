import Foundation
import Kernel

/// Programs this process started with `&`, until it has reaped them: they are its
/// children, and an unreaped child stays a zombie (and a zombie PID 1 keeps its PID
/// namespace's number in use). How each one ended is kept for messages.
public final class BackgroundJobs: @unchecked Sendable {
    private let lock = NSLock()
    /// The program's pid → the child to wait for (the same, or the relaying process).
    private var running: [Int32: Int32] = [:]
    private var ended: [Int32: Termination] = [:]
    private var started = 0

    public init() {}

    /// Returns its job number, as a shell's `[1] 4242` shows it.
    func add(_ process: LaunchedProcess) -> Int {
        lock.lock(); defer { lock.unlock() }
        running[process.pid] = process.child
        started += 1
        return started
    }

    /// Reaps the jobs that have ended, without waiting.
    public func reap() {
        lock.lock(); defer { lock.unlock() }
        for (pid, child) in running {
            if let termination = Trace.untraced({ ChildProcess.poll(child) }) {
                running[pid] = nil
                ended[pid] = termination
            }
        }
    }

    /// Waits up to `timeout` seconds for `pid` to end (after a signal); nil if it did not,
    /// or is not ours.
    func waitForEnd(of pid: Int32, timeout: Double) -> Termination? {
        let deadline = Date().addingTimeInterval(timeout)
        repeat {
            reap()
            if let termination = termination(of: pid) { return termination }
            usleep(5_000)
        } while Date() < deadline && isRunning(pid)
        return termination(of: pid)
    }

    public func termination(of pid: Int32) -> Termination? {
        lock.lock(); defer { lock.unlock() }
        return ended[pid]
    }

    func isRunning(_ pid: Int32) -> Bool {
        lock.lock(); defer { lock.unlock() }
        return running[pid] != nil
    }
}
