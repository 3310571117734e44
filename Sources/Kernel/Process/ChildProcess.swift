#if canImport(Glibc)
import Glibc
#endif
import CBoxLab

/// How a child ended, as wait4(2) reports it.
public enum Termination: Sendable, Equatable, CustomStringConvertible {
    case exited(Int32)
    case signaled(Int32)

    /// Decodes a wait status (WIFEXITED, WEXITSTATUS, WTERMSIG).
    init(status: Int32) {
        self = status & 0x7f == 0 ? .exited((status >> 8) & 0xff) : .signaled(status & 0x7f)
    }

    public var succeeded: Bool { self == .exited(0) }

    /// The status a shell reports for it: the exit code, or 128 plus the signal.
    public var shellStatus: Int32 {
        switch self {
        case .exited(let code): code
        case .signaled(let signal): 128 + signal
        }
    }

    public var description: String {
        switch self {
        case .exited(let code): "exit status \(code)"
        case .signaled(let signal): "killed by \(Signals.signalName(signal))"
        }
    }
}

public enum ChildProcess {
    /// Starts `path` with `arguments` (argv[0] included); the descriptors become its stdin,
    /// stdout and stderr (nil: inherit). The child side is C (CBoxLab/spawn.c).
    ///
    /// The corresponding C calls are `fork` and `execve`.
    public static func spawn(
        _ path: String, arguments: [String], environment: [String], directory: String? = nil,
        stdin: FileDescriptor? = nil, stdout: FileDescriptor? = nil, stderr: FileDescriptor? = nil
    ) throws(KernelError) -> Int32 {
        let rendered = { [traceQuote(path), "[" + arguments.map { traceQuote($0) }.joined(separator: ", ") + "]", "\(environment.count) vars"] }
        return try syscall("execve", rendered()) {
            withCStrings(arguments) { argv in
                withCStrings(environment) { envp in
                    boxlab_spawn(path, argv, envp, directory, stdin?.rawValue ?? -1, stdout?.rawValue ?? -1, stderr?.rawValue ?? -1)
                }
            }
        }
    }

    /// Waits for `pid` to end, and reaps it.
    ///
    /// The corresponding C function is `wait4`.
    public static func wait(_ pid: Int32) throws(KernelError) -> Termination {
        try reap(pid, waiting: true)!
    }

    /// How `pid` ended, if it has, without waiting; it is reaped then.
    ///
    /// The corresponding C function is `wait4` with `WNOHANG`.
    public static func poll(_ pid: Int32) -> Termination? {
        (try? reap(pid, waiting: false)) ?? nil
    }

    /// The one place children are reaped; nil when, not waiting, `pid` has not ended yet.
    ///
    /// The corresponding C function is `wait4`.
    private static func reap(_ pid: Int32, waiting: Bool) throws(KernelError) -> Termination? {
        var status: Int32 = 0
        let options = waiting ? 0 : WNOHANG
        let reaped = try syscall("wait4", [String(pid), "[…]", waiting ? "0" : "WNOHANG", "NULL"]) { wait4(pid, &status, options, nil) }
        return reaped == pid ? Termination(status: status) : nil
    }

    /// A pipe whose both ends close on exec; the child gets copies through dup2.
    ///
    /// The corresponding C function is `pipe2`.
    public static func pipe() throws(KernelError) -> (read: FileDescriptor, write: FileDescriptor) {
        var fds: [Int32] = [-1, -1]
        try syscall("pipe2", ["[…]", "O_CLOEXEC"]) { boxlab_pipe2(&fds, O_CLOEXEC) }
        return (FileDescriptor(rawValue: fds[0]), FileDescriptor(rawValue: fds[1]))
    }

    /// Reads everything from `fd` until end of file.
    ///
    /// The corresponding C function is `read`.
    public static func readAll(_ fd: FileDescriptor) throws(KernelError) -> [UInt8] {
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        let size = buffer.count
        while true {
            let count = try syscall("read", ["\(fd)", "…", String(size)]) {
                buffer.withUnsafeMutableBytes { Glibc.read(fd.rawValue, $0.baseAddress, size) }
            }
            if count == 0 { return output }
            output.append(contentsOf: buffer[0..<count])
        }
    }

    /// Reads from `fd` until a newline or end of file, waiting at most `timeout` seconds in
    /// all: a program's one-line report that it is ready. Nil when the time ran out first.
    ///
    /// The corresponding C functions are `poll` and `read`.
    public static func readLine(_ fd: FileDescriptor, timeout: Double) throws(KernelError) -> [UInt8]? {
        let deadline = ContinuousClock.now + .milliseconds(Int(timeout * 1000))
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while line.last != 10 {
            let left = ContinuousClock.now.duration(to: deadline).components
            let milliseconds = Int32(max(0, left.seconds * 1000 + left.attoseconds / 1_000_000_000_000_000))
            guard try awaitReadable(fd, milliseconds: milliseconds, shown: Int32(timeout * 1000)) else { return nil }
            if try syscall("read", ["\(fd)", "…", "1"], { Glibc.read(fd.rawValue, &byte, 1) }) == 0 { return line }
            line.append(byte)
        }
        return line
    }
}
