#if canImport(Glibc)
import Glibc
#endif
import CBoxLab

/// How a child ended, as waitpid(2) reports it.
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
        stdin: Int32? = nil, stdout: Int32? = nil, stderr: Int32? = nil
    ) throws(KernelError) -> Int32 {
        let rendered = { [traceQuote(path), "[" + arguments.map { traceQuote($0) }.joined(separator: ", ") + "]", "\(environment.count) vars"] }
        return try syscall("execve", rendered()) {
            withCStrings(arguments) { argv in
                withCStrings(environment) { envp in
                    boxlab_spawn(path, argv, envp, directory, stdin ?? -1, stdout ?? -1, stderr ?? -1)
                }
            }
        }
    }

    /// Waits for `pid` to end.
    ///
    /// The corresponding C function is `waitpid`.
    public static func wait(_ pid: Int32) throws(KernelError) -> Termination {
        var status: Int32 = 0
        try syscall("wait4", [String(pid), "[…]", "0", "NULL"]) { waitpid(pid, &status, 0) }
        return Termination(status: status)
    }

    /// A pipe whose both ends close on exec; the child gets copies through dup2.
    ///
    /// The corresponding C function is `pipe2`.
    public static func pipe() throws(KernelError) -> (read: Int32, write: Int32) {
        var fds: [Int32] = [-1, -1]
        try syscall("pipe2", ["[…]", "O_CLOEXEC"]) { boxlab_pipe2(&fds, O_CLOEXEC) }
        return (fds[0], fds[1])
    }

    /// Reads everything from `fd` until end of file.
    ///
    /// The corresponding C function is `read`.
    public static func readAll(_ fd: Int32) throws(KernelError) -> [UInt8] {
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        let size = buffer.count
        while true {
            let count = try syscall("read", [String(fd), "…", String(size)]) {
                buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, size) }
            }
            if count == 0 { return output }
            output.append(contentsOf: buffer[0..<count])
        }
    }

    /// Reads from `fd` until a newline or end of file, waiting at most `timeout` seconds in
    /// all: a program's one-line report that it is ready. Nil when the time ran out first.
    ///
    /// The corresponding C functions are `poll` and `read`.
    public static func readLine(_ fd: Int32, timeout: Double) throws(KernelError) -> [UInt8]? {
        let deadline = ContinuousClock.now + .milliseconds(Int(timeout * 1000))
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while line.last != 10 {
            let left = ContinuousClock.now.duration(to: deadline).components
            let milliseconds = Int32(max(0, left.seconds * 1000 + left.attoseconds / 1_000_000_000_000_000))
            guard try awaitReadable(fd, milliseconds: milliseconds, shown: Int32(timeout * 1000)) else { return nil }
            if try syscall("read", [String(fd), "…", "1"], { Glibc.read(fd, &byte, 1) }) == 0 { return line }
            line.append(byte)
        }
        return line
    }

    /// The corresponding C function is `close`.
    public static func close(_ fd: Int32) {
        _ = try? syscall("close", [String(fd)]) { Glibc.close(fd) }
    }
}

/// NULL-terminated C string arrays for argv and envp, valid during `body`.
@discardableResult
public func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> R) -> R {
    let pointers = strings.map { strdup($0) } + [nil]
    defer { pointers.forEach { free($0) } }
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}

extension ChildProcess {
    /// How `pid` ended, if it has, without waiting; it is reaped then.
    ///
    /// The corresponding C function is `waitpid` with `WNOHANG`.
    public static func poll(_ pid: Int32) -> Termination? {
        var status: Int32 = 0
        guard (try? syscall("wait4", [String(pid), "[…]", "WNOHANG", "NULL"]) { waitpid(pid, &status, WNOHANG) }) == pid else { return nil }
        return Termination(status: status)
    }
}
