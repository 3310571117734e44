#if canImport(Glibc)
import Glibc
#endif
import CBoxLab

/// A child stopped between clone and exec (`ProcessLaunch.startHeld`): it runs the setup
/// operations it is sent, one batch at a time, until one of them execs.
public struct HeldProcess: Sendable, Equatable {
    /// The process as this one sees it.
    public let pid: Int32
    /// The child to wait for (the process that relays the program's status, if any).
    public let child: Int32
    let sync: FileDescriptor
    let report: FileDescriptor
    let program: String
    /// The index the child gives the next operation it runs.
    var next: Int

    /// The process as a job to wait for, once it runs a program.
    public var launched: LaunchedProcess { LaunchedProcess(pid: pid, child: child) }

    /// Whether the process has exec'd (or died): it takes no more operations.
    public private(set) var released = false

    /// Runs `operations` in the child, in order, each traced as `[pid N] call`. The first one
    /// that fails ends the batch and throws; the child keeps waiting for the next batch.
    /// After an `exec` that succeeds, the process is the program.
    ///
    /// The corresponding C functions are those of `operations`, made by the child.
    public mutating func run(_ operations: [SetupOperation]) throws {
        precondition(!released, "a held process that exec'd takes no more operations")
        let batch = SetupOperation.batch(operations)
        let sent = batch.withUnsafeBytes { boxlab_launch_send(sync.rawValue, $0.baseAddress, UInt32($0.count)) }
        guard sent == 0 else {
            let error = Errno(errno)
            let failure = KernelError(call: "write", arguments: ["\(sync)", "…"], errno: error, detail: "process \(pid) is no longer waiting for its setup")
            close()
            throw failure
        }
        let launch = ProcessLaunch(path: program, arguments: [program], environment: [])
        let records = ProcessLaunch.readRecords(report)
        let first = next
        // One record per operation, and one more for a second call (a masked path's tmpfs).
        let ran = records.filter { $0.call == Int32(BOXLAB_CALL_OP.rawValue) }.count
        next += ran
        var current = pid
        // End of file instead of the end of the batch: the exec succeeded, or the child died.
        let ended = !Self.waiting(report)
        if ended { close() }
        try launch.traceRecords(records, child: child, current: &current, operations: operations, first: first, held: true)
        guard ended else { return }
        guard ran < operations.count, case .exec = operations[ran] else {
            throw BoxLabError("process \(pid) ended during its setup, before it could run its program")
        }
        let traced = operations[ran].traced
        Trace.recorder?.record(TraceEntry(call: "[pid \(pid)] " + traced.call, arguments: traced.arguments, result: "0", errno: nil))
    }

    /// Lets go of the child without running anything more: it exits with status 127.
    ///
    /// The corresponding C function is `close` (of the pipes the child reads and reports on).
    public mutating func close() {
        guard !released else { return }
        released = true
        // The pipes are BoxLab's plumbing, not a call the learner asked for.
        sync.discard()
        report.discard()
    }

    /// Whether the child is still there, waiting for its next batch.
    public var isWaiting: Bool { !released && Self.waiting(report) }

    /// Whether the child is still there, waiting for a batch (its report pipe is open).
    private static func waiting(_ report: FileDescriptor) -> Bool {
        var poll = pollfd(fd: report.rawValue, events: Int16(POLLIN), revents: 0)
        return Glibc.poll(&poll, 1, 0) == 0
    }
}
