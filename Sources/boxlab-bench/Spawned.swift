import CBench
import Foundation
import Glibc
import Kernel

/// A program started with posix_spawn(3) (CBench/bench_spawn.c) and reaped with wait4(2), its
/// stdin a pipe and its stdout and stderr one pipe. Not Foundation's Process: its reaping runs on a dispatch
/// source and can leave the child a zombie while the caller blocks.
///
/// The child leads a process group of its own, so that a program that does not answer in
/// time is killed with everything it started (the REPL's sandboxed worker too).
final class Spawned {
    let pid: pid_t
    let command: String
    private var input: FileDescriptor
    private var output: FileDescriptor
    private(set) var received: [UInt8] = []
    /// Where the next `read(until:)` starts looking: after the last marker found.
    private var mark = 0
    private var exit: Termination?

    private init(pid: pid_t, command: String, input: FileDescriptor, output: FileDescriptor) {
        self.pid = pid
        self.command = command
        self.input = input
        self.output = output
    }

    static func start(_ arguments: [String], environment: [String]) throws(BenchError) -> Spawned {
        let command = arguments.joined(separator: " ")
        // Both ends close-on-exec; dup2 gives the child its own copies.
        var stdin: (read: FileDescriptor, write: FileDescriptor), stdout: (read: FileDescriptor, write: FileDescriptor)
        do { stdin = try ChildProcess.pipe() } catch { throw BenchError("\(command): \(error)") }
        do { stdout = try ChildProcess.pipe() } catch {
            try? stdin.read.close()
            try? stdin.write.close()
            throw BenchError("\(command): \(error)")
        }
        defer {
            try? stdin.read.close()
            try? stdout.write.close()
        }

        // What a shell gives a foreground job, in a process group of its own (CBench).
        let pid = withCStrings(arguments) { argv in
            withCStrings(environment) { envp in bench_spawn(arguments[0], argv, envp, stdin.read.rawValue, stdout.write.rawValue, stdout.write.rawValue) }
        }
        guard pid > 0 else {
            try? stdin.write.close()
            try? stdout.read.close()
            throw BenchError("cannot start \(command): \(String(cString: strerror(-pid)))")
        }
        return Spawned(pid: pid, command: command, input: stdin.write, output: stdout.read)
    }

    /// Runs a program to its end and returns what it printed; a failure or a program still
    /// running after `timeout` nanoseconds (killed) is an error.
    @discardableResult
    static func run(_ arguments: [String], timeout: UInt64) throws -> String {
        let child = try Spawned.start(arguments, environment: ["PATH=/usr/sbin:/usr/bin:/sbin:/bin"])
        child.closeInput()
        let exit = try child.finish(deadline: Clock.now() + timeout)
        let output = String(decoding: child.received, as: UTF8.self)
        guard exit.succeeded else { throw BenchError("\(arguments.joined(separator: " ")): \(exit): \(output)") }
        return output
    }

    deinit {
        if exit == nil { kill() }
        closeInput()
        try? output.close()
    }

    /// Reads the child's output until `marker` appears after the previous marker, or the
    /// output ends, or `deadline` (a Clock time) passes.
    func read(until marker: String, deadline: UInt64) throws(BenchError) {
        let pattern = Array(marker.utf8)
        while true {
            if let end = find(pattern) { mark = end; return }
            guard output.rawValue >= 0 else { throw BenchError("\(command) ended before printing \(quote(marker)); it printed: \(tail)") }
            let now = Clock.now()
            guard now < deadline else {
                kill()
                throw BenchError("\(command) did not print \(quote(marker)) in time; killed. It printed: \(tail)")
            }
            pump(timeout: deadline - now)
        }
    }

    func send(_ text: String) {
        guard input.rawValue >= 0 else { return }
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let count = bytes.withUnsafeBytes { write(input.rawValue, $0.baseAddress, $0.count) }
            if count < 0 { if errno == EINTR { continue }; return }  // EPIPE: it has gone; finish() tells
            bytes = bytes.dropFirst(count)
        }
    }

    func closeInput() {
        try? input.close()
    }

    /// Closes stdin, reads the output to its end and reaps the child. Past `deadline`, the
    /// child's process group is killed and reaped, and the run is an error.
    func finish(deadline: UInt64) throws(BenchError) -> Termination {
        if let exit { return exit }
        closeInput()
        while output.rawValue >= 0 {
            let now = Clock.now()
            guard now < deadline else {
                kill()
                throw BenchError("\(command) did not end in time; killed. It printed: \(tail)")
            }
            pump(timeout: deadline - now)
        }
        // Not ChildProcess.wait: that retries EINTR, and here SIGALRM's EINTR is the deadline.
        var status: Int32 = 0
        while true {
            let now = Clock.now()
            guard now < deadline else {
                kill()
                throw BenchError("\(command) closed its output but did not exit in time; killed")
            }
            Alarm.arm(deadline - now)
            let result = wait4(pid, &status, 0, nil)
            Alarm.arm(0)
            if result == pid { break }
            if errno != EINTR { throw BenchError("wait4(\(pid)): \(String(cString: strerror(errno)))") }
        }
        let termination: Termination = status & 0x7f == 0 ? .exited((status >> 8) & 0xff) : .signaled(status & 0x7f)
        exit = termination
        return termination
    }

    /// SIGKILL to the child's whole process group, then every process of the group reaped:
    /// the child, and its descendants as they come back to this process (a subreaper, see
    /// main.swift) when their parents die.
    func kill() {
        guard exit == nil else { return }
        _ = Glibc.kill(-pid, SIGKILL)
        // The whole group, whichever ends first; ChildProcess.wait reaps one process it names.
        while waitpid(-pid, nil, 0) > 0 || errno == EINTR {}
        exit = .signaled(SIGKILL)
    }

    /// The last lines the child printed, for error messages.
    var tail: String {
        let text = String(decoding: received.suffix(400), as: UTF8.self)
        return text.isEmpty ? "nothing" : quote(text)
    }

    /// Waits up to `timeout` for output and takes what is there; end of file closes it.
    private func pump(timeout: UInt64) {
        var descriptor = pollfd(fd: output.rawValue, events: Int16(POLLIN), revents: 0)
        let milliseconds = Int32(min(timeout / 1_000_000 + 1, 1000))
        guard poll(&descriptor, 1, milliseconds) > 0 else { return }
        var buffer = [UInt8](repeating: 0, count: 65536)
        let count = buffer.withUnsafeMutableBytes { Glibc.read(output.rawValue, $0.baseAddress, $0.count) }
        if count > 0 {
            received += buffer[..<count]
        } else if count == 0 || errno != EINTR {
            try? output.close()
        }
    }

    private func find(_ pattern: [UInt8]) -> Int? {
        guard received.count - mark >= pattern.count else { return nil }
        var start = mark
        while start + pattern.count <= received.count {
            if received[start..<start + pattern.count].elementsEqual(pattern) { return start + pattern.count }
            start += 1
        }
        return nil
    }
}

func quote(_ text: String) -> String {
    "\"" + text.replacingOccurrences(of: "\n", with: "\\n") + "\""
}
