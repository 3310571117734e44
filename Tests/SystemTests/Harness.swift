import Foundation
import Glibc
import Kernel
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
        // A child that died before reading its input must fail the test, not kill the runner.
        signal(SIGPIPE, SIG_IGN)
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

    /// A boxlab command line, not yet started.
    func process(_ arguments: [String], environment extra: [String: String] = [:]) -> Child {
        Child(executable: Harness.binary, arguments: arguments, environment: environment(extra))
    }

    /// Runs boxlab to the end and returns what it printed.
    @discardableResult
    func boxlab(_ arguments: String..., stdin: String = "", environment extra: [String: String] = [:]) throws -> Result {
        try run(process(arguments, environment: extra), stdin: stdin)
    }

    func run(_ child: Child, stdin: String = "") throws -> Result {
        try child.start()
        child.type(stdin)
        child.closeInput()
        let status = child.wait()
        return Result(status: status, stdout: child.output.finish(), stderr: child.errors.finish())
    }

    /// Mounts whose mount point is below this test's run directory, in this mount namespace.
    func mountsOfOurs() -> [String] {
        let table = (try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)) ?? ""
        return table.split(separator: "\n").filter { $0.split(separator: " ")[4].hasPrefix(runDir) }.map(String.init)
    }

    /// Processes whose environment names this test's run directory: every boxlab it started
    /// and their children, and the programs boxlab started with its mark (containers, whose
    /// environment is their own).
    func processesOfOurs() -> [Int32] {
        Set(ProcessTable.withEnvironment("BOXLAB_RUN_DIR=\(runDir)") + ProcessTable.withEnvironment("BOXLAB_OWNER=\(runDir)"))
            .filter { $0 != getpid() && !ProcessTable.hasEnded($0) }.sorted()
    }

    /// Every one of `lines` appears in `output` (what a learner would see).
    func expectLines(_ lines: [String], in output: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for line in lines where !output.contains(line) {
            Issue.record("missing \(line):\n\(output)", sourceLocation: sourceLocation)
        }
    }

    /// The machine holds nothing of this test's: no mount, no run directory, no process.
    func expectNothingLeft(sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(mountsOfOurs().isEmpty, "mounts left: \(mountsOfOurs())", sourceLocation: sourceLocation)
        #expect(!FileManager.default.fileExists(atPath: runDir), "\(runDir) is left", sourceLocation: sourceLocation)
        #expect(processesOfOurs().isEmpty, "processes left: \(processesOfOurs())", sourceLocation: sourceLocation)
        #expect(cgroupsOfOurs().isEmpty, "cgroups left: \(cgroupsOfOurs())", sourceLocation: sourceLocation)
    }

    /// Runs `boxlab reset`, which must succeed, and proves nothing of this test is left.
    func resetAndExpectNothingLeft(sourceLocation: SourceLocation = #_sourceLocation) throws {
        let reset = try boxlab("reset")
        #expect(reset.status == 0, "\(reset.output)", sourceLocation: sourceLocation)
        expectNothingLeft(sourceLocation: sourceLocation)
    }

    /// Starts `boxlab run LAB` of a lab file that prints "waiting" in a slow sh block, waits
    /// for it (and for `made` to say the work before it is there), and SIGKILLs every boxlab
    /// process of the run (supervisor and worker) there.
    func runKilledWhileWaiting(_ lab: String, _ options: [String], made: () -> Bool = { true },
                               sourceLocation: SourceLocation = #_sourceLocation) throws {
        let run = process(["run", lab] + options)
        try run.start()
        #expect(waitFor { run.output.soFar.contains("waiting") && made() }, "\(run.output.soFar)", sourceLocation: sourceLocation)
        killBoxLab(besides: run.pid)
        _ = run.wait()
    }

    /// Runs a lab whose first step is `lines` with --host --trust and kills it while its
    /// second step waits, once `made` says the first step's work is there: the cleanup tests'
    /// BoxLab stopped in the middle of changing the host.
    func runKilledInTheMiddle(_ lines: String, made: () -> Bool = { true }, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let lab = try writeLab("92-killed.md", """
        ---
        id: 92-killed
        title: A lab that changes the host and stops
        ---
        ## Step 1: Change it
        ```run
        \(lines)
        ```
        ## Step 2: Wait
        ```sh
        echo waiting; sleep 120
        ```
        """)
        try runKilledWhileWaiting(lab, ["--host", "--trust"], made: made, sourceLocation: sourceLocation)
    }

    /// SIGKILLs every boxlab process of this test (and `pid`): the supervisor and its worker,
    /// which re-executed /proc/self/exe and so is named `exe`, found by the binary they run;
    /// not the programs they started.
    func killBoxLab(besides pid: Int32? = nil) {
        let binary = URL(fileURLWithPath: Harness.binary).resolvingSymlinksInPath().path
        for member in processesOfOurs() + (pid.map { [$0] } ?? [])
        where (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(member)/exe")) == binary {
            kill(member, SIGKILL)
        }
    }

    /// The cgroup directories of this test's labs (named for its run directory), in every hierarchy.
    func cgroupsOfOurs() -> [String] {
        let prefix = String(CgroupRoot.name(run: runDir, lab: "x").dropLast(1))
        var found: [String] = []
        func walk(_ directory: String, depth: Int) {
            guard depth < 8, let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
            for name in names where !name.contains(".") || name.hasPrefix("boxlab") || name.hasSuffix(".scope") || name.hasSuffix(".slice") {
                let path = directory + "/" + name
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else { continue }
                if name.hasPrefix(prefix) { found.append(path) } else { walk(path, depth: depth + 1) }
            }
        }
        walk("/sys/fs/cgroup", depth: 0)
        return found
    }

    /// When the test is done with it: ends whatever the test left (so a failing test does not
    /// leak into the next) and removes its files.
    deinit {
        _ = try? boxlab("reset")
        try? FileManager.default.removeItem(atPath: base)
    }

    /// Waits up to `seconds` for `condition` (generous: CI machines have two cores and may be busy).
    func waitFor(_ seconds: Double = 60, _ condition: () -> Bool) -> Bool {
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

/// A child process started with posix_spawn and reaped with a blocking waitpid.
///
/// Foundation's Process reaps through a dispatch source; with every test thread blocked in
/// waitUntilExit, nothing runs it and the children stay zombies, so the tests hang.
final class Child: @unchecked Sendable {
    let executable: String
    let arguments: [String]
    let environment: [String: String]
    private(set) var pid: Int32 = 0
    private var input: Int32 = -1
    private(set) var output: Reader!
    private(set) var errors: Reader!
    private var status: Int32?

    init(executable: String, arguments: [String], environment: [String: String]) {
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
    }

    var processIdentifier: Int32 { pid }

    func start() throws {
        // Close-on-exec: a child started by another test at the same moment must not inherit
        // these (a program it leaves running would hold them open, and EOF would never come).
        let pipes = try [ChildProcess.pipe(), ChildProcess.pipe(), ChildProcess.pipe()].map { [$0.read.rawValue, $0.write.rawValue] }
        let stdinPipe = pipes[0], stdoutPipe = pipes[1], stderrPipe = pipes[2]
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdinPipe[0], 0)
        posix_spawn_file_actions_adddup2(&actions, stdoutPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, stderrPipe[1], 2)
        for fd in stdinPipe + stdoutPipe + stderrPipe { posix_spawn_file_actions_addclose(&actions, fd) }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        // Like a shell starting a foreground job: Ctrl-C (SIGINT) reaches the child, though the
        // test runner's threads (dispatch workers) block it and the runner may ignore it.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGINT)
        sigaddset(&defaults, SIGQUIT)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        posix_spawnattr_setsigmask(&attributes, &unblocked)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        var result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        // A program file just written is open for writing a moment longer in any child another
        // test forked meanwhile, until that child's exec closes it (O_CLOEXEC): the kernel then
        // refuses to run it with ETXTBSY.
        for _ in 0..<50 where result == ETXTBSY {
            usleep(20_000)
            result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        }
        close(stdinPipe[0]); close(stdoutPipe[1]); close(stderrPipe[1])
        guard result == 0 else { throw POSIXError(POSIXErrorCode(rawValue: result) ?? .EINVAL) }
        input = stdinPipe[1]
        output = Reader(FileHandle(fileDescriptor: stdoutPipe[0], closeOnDealloc: true))
        errors = Reader(FileHandle(fileDescriptor: stderrPipe[0], closeOnDealloc: true))
    }

    func type(_ text: String) {
        guard input >= 0, !text.isEmpty else { return }
        _ = text.utf8CString.withUnsafeBufferPointer { write(input, $0.baseAddress, $0.count - 1) }
    }

    func closeInput() {
        if input >= 0 { close(input); input = -1 }
    }

    /// Waits for the child and returns its exit status (128 + N when killed by signal N).
    @discardableResult
    func wait() -> Int32 {
        if let status { return status }
        var raw: Int32 = 0
        while waitpid(pid, &raw, 0) < 0 && errno == EINTR {}
        let value = raw & 0x7f == 0 ? (raw >> 8) & 0xff : 128 + (raw & 0x7f)
        status = value
        return value
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
