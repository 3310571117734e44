import Foundation
import Glibc
import Testing

/// Runs the built `boxlab` binary the way a learner or CI would, each test with a run
/// directory and state directory of its own, and proves afterwards that nothing is left.
final class Harness: @unchecked Sendable {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let binary = ProcessInfo.processInfo.environment["BOXLAB_BINARY"] ?? repository.appendingPathComponent(".build/debug/boxlab").path
    static let isRoot = getuid() == 0

    let base: String
    var runDir: String { base + "/run" }
    var stateDir: String { base + "/state" }

    init() {
        var template = Array("/tmp/boxlab-test-XXXXXX".utf8CString)
        base = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)) }
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        var output: String { stdout + stderr }
    }

    /// The environment of a fresh shell: in particular not marked as inside any sandbox, so
    /// each boxlab the test starts makes its own.
    func environment(_ extra: [String: String] = [:]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["BOXLAB_SANDBOX_NS"] = nil
        environment["BOXLAB_RUN_DIR"] = runDir
        environment["BOXLAB_STATE_DIR"] = stateDir
        environment["BOXLAB_LABS"] = Harness.repository.appendingPathComponent("labs").path
        environment["NO_COLOR"] = "1"
        return environment.merging(extra) { $1 }
    }

    func process(_ arguments: [String], environment extra: [String: String] = [:]) -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Harness.binary)
        process.arguments = arguments
        process.environment = environment(extra)
        return process
    }

    /// Runs boxlab to the end and returns what it printed.
    @discardableResult
    func boxlab(_ arguments: String..., stdin: String = "", environment extra: [String: String] = [:]) throws -> Result {
        try run(process(arguments, environment: extra), stdin: stdin)
    }

    func run(_ process: Process, stdin: String = "") throws -> Result {
        let output = Pipe(), errors = Pipe(), input = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = input
        try process.run()
        input.fileHandleForWriting.write(Data(stdin.utf8))
        try input.fileHandleForWriting.close()
        let out = Reader(output.fileHandleForReading), err = Reader(errors.fileHandleForReading)
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: out.finish(), stderr: err.finish())
    }

    /// Mounts whose mount point is below this test's run directory, in this mount namespace.
    func mountsOfOurs() -> [String] {
        let table = (try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)) ?? ""
        return table.split(separator: "\n").filter { $0.split(separator: " ")[4].hasPrefix(runDir) }.map(String.init)
    }

    /// Processes whose environment names this test's run directory: every boxlab it started
    /// and their children.
    func processesOfOurs() -> [Int32] {
        let me = getpid()
        let pids = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { Int32($0) }
        return pids.filter { pid in
            guard pid != me, let environ = FileManager.default.contents(atPath: "/proc/\(pid)/environ") else { return false }
            return String(decoding: environ, as: UTF8.self).contains("BOXLAB_RUN_DIR=\(runDir)\0")
                && !(((try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? "").contains(") Z "))
        }
    }

    /// The machine holds nothing of this test's: no mount, no run directory, no process.
    func expectNothingLeft(sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(mountsOfOurs().isEmpty, "mounts left: \(mountsOfOurs())", sourceLocation: sourceLocation)
        #expect(!FileManager.default.fileExists(atPath: runDir), "\(runDir) is left", sourceLocation: sourceLocation)
        #expect(processesOfOurs().isEmpty, "processes left: \(processesOfOurs())", sourceLocation: sourceLocation)
    }

    /// Ends whatever the test left (so a failing test does not leak into the next) and removes its files.
    func tearDown() {
        _ = try? boxlab("reset")
        try? FileManager.default.removeItem(atPath: base)
    }

    /// Waits up to `seconds` for `condition`.
    func waitFor(_ seconds: Double = 20, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            usleep(20_000)
        }
        return condition()
    }

    static func labIDs() -> [String] {
        let folder = repository.appendingPathComponent("labs").path
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
            .filter { $0.hasSuffix(".md") && $0.first?.isNumber == true }.map { String($0.dropLast(3)) }.sorted()
    }

    /// Writes a lab file of the test's own (for interrupting runs and bad input) and returns its path.
    func writeLab(_ name: String, _ text: String) throws -> String {
        let folder = base + "/labs"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}

/// Drains a pipe on a thread of its own, so a chatty child never blocks on a full pipe.
final class Reader: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                lock.lock(); data.append(chunk); lock.unlock()
            }
            done.signal()
        }
    }

    var soFar: String { lock.lock(); defer { lock.unlock() }; return String(decoding: data, as: UTF8.self) }

    func finish() -> String {
        done.wait()
        return soFar
    }
}
