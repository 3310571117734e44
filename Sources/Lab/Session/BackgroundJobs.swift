import Glibc
import Kernel
import Synchronization

/// Programs this process started with `&`, until it has reaped them: they are its
/// children, and an unreaped child stays a zombie (and a zombie PID 1 keeps its PID
/// namespace's number in use). How each one ended is kept for messages.
public final class BackgroundJobs: Sendable {
    private struct Jobs {
        /// The program's pid → the child to wait for (the same, or the relaying process).
        var running: [Int32: Int32] = [:]
        var ended: [Int32: Termination] = [:]
        var started = 0
    }

    private let jobs = Mutex(Jobs())

    public init() {}

    /// Returns its job number, as a shell's `[1] 4242` shows it.
    func add(_ process: LaunchedProcess) -> Int {
        jobs.withLock { jobs in
            jobs.running[process.pid] = process.child
            jobs.started += 1
            return jobs.started
        }
    }

    /// Reaps the jobs that have ended, without waiting.
    public func reap() {
        jobs.withLock { jobs in
            for (pid, child) in jobs.running {
                if let termination = Trace.untraced({ ChildProcess.poll(child) }) {
                    jobs.running[pid] = nil
                    jobs.ended[pid] = termination
                }
            }
        }
    }

    /// Waits up to `timeout` seconds for `pid` to end (after a signal); nil if it did not,
    /// or is not ours.
    func waitForEnd(of pid: Int32, timeout: Double) -> Termination? {
        let deadline = ContinuousClock.now + .seconds(timeout)
        repeat {
            reap()
            if let termination = termination(of: pid) { return termination }
            usleep(5_000)
        } while ContinuousClock.now < deadline && isRunning(pid)
        return termination(of: pid)
    }

    public func termination(of pid: Int32) -> Termination? {
        jobs.withLock { $0.ended[pid] }
    }

    func isRunning(_ pid: Int32) -> Bool {
        jobs.withLock { $0.running[pid] != nil }
    }
}
