import FoundationEssentials
import Glibc
import Kernel

/// One session at a time works in a run directory: the REPL's supervisor (or the REPL itself
/// on the host), a batch run, `boxlab reset`. It holds an exclusive flock on the run
/// directory itself for its lifetime, so the one turned away can ask the kernel who holds
/// it. The directory, not a file in it: the sandbox's root may write in the run directory,
/// and could replace a lock file (letting a second session in) or name another process in
/// it (for `boxlab reset` to kill); the directory is a mount point in the sandbox, and
/// /proc/locks names only the process that really holds the lock. `boxlab shell` and
/// `boxlab check` join the session and take no lock.
public enum RunLock {
    /// Takes the lock for this process, making the run directory if needed. The lock is
    /// kept until `release` or the end of the process.
    public static func acquire(_ run: RunDirectory) throws -> FileLock {
        if let lock = try tryAcquire(run) { return lock }
        throw RunDirectoryBusy(run: run, holder: holder(run))
    }

    /// The lock, or nil while a session holds it.
    static func tryAcquire(_ run: RunDirectory) throws(KernelError) -> FileLock? {
        try Trace.untraced { () throws(KernelError) -> FileLock? in
            try makeDirectory(run.path)
            return try FileLock.tryLock(directory: run.path)
        }
    }

    /// The process that holds the run directory's lock.
    static func holder(_ run: RunDirectory) -> Int32? {
        FileLock.holder(of: run.path)
    }
}

/// A second session on a run directory that one is using.
public struct RunDirectoryBusy: Error, CustomStringConvertible {
    public let run: RunDirectory
    public let holder: Int32?
    /// `boxlab reset` was started by the session it would end.
    var fromInside = false

    public var description: String {
        if fromInside, let holder {
            return "boxlab reset was started from inside the session it would end (pid \(holder)): leave the session, or run it from another terminal"
        }
        return "a BoxLab session is already running in \(run.path) (\(holder.map { "pid \($0)" } ?? "a process that has not named itself yet")): "
            + "use `boxlab shell` to work beside it, `boxlab reset` to end it, or BOXLAB_RUN_DIR=DIR for a session of your own"
    }
}

extension Reset {
    /// `boxlab reset` from the shell: ends the session that holds the run directory (the
    /// documented way to end one), takes the lock so no session starts while it works, and
    /// removes everything. Refuses when the holder is this process's own ancestor (a reset
    /// typed in `boxlab shell` or an `sh` block) or cannot be ended.
    public func performEndingSession() throws -> [String] {
        guard (try? FileSystem.lstat(run.path)) != nil else { return perform() }
        var done: [String] = []
        var lock = try RunLock.tryAcquire(run)
        for _ in 0..<50 where lock == nil {
            if let holder = RunLock.holder(run) {
                if ProcessTable.ancestry(of: getpid()).contains(holder) {
                    throw RunDirectoryBusy(run: run, holder: holder, fromInside: true)
                }
                if (try? Signals.kill(holder, SIGKILL)) != nil {
                    waitForExit([holder])
                    done.append("ended the session of pid \(holder)")
                }
            }
            // A program the holder started and has not yet exec'd shares its descriptor.
            done += killPrograms()
            usleep(100_000)
            lock = try RunLock.tryAcquire(run)
        }
        guard let lock else { throw RunDirectoryBusy(run: run, holder: RunLock.holder(run)) }
        done += perform()
        lock.release()
        return done
    }
}
