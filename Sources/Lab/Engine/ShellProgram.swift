import FoundationEssentials
import Glibc
import Kernel

/// An `sh` block: run by /bin/sh in the workspace, its output captured.
enum ShellProgram {
    struct Result {
        var output: String
        var termination: Termination
    }

    static func run(_ script: String, workspace: Workspace, run: RunDirectory) throws(KernelError) -> Result {
        var pipe = try ChildProcess.pipe()
        var environment = ProcessInfo.processInfo.environment
        environment["WS"] = workspace.root
        environment.merge(Variables(run: run).forShell()) { $1 }
        // The mark `boxlab reset` finds our processes by, grandchildren included: set before
        // the process exists, which a pid in the ledger cannot be.
        environment[RunDirectory.ownerVariable] = run.path
        var devnull = try? FileSystem.open("/dev/null", flags: O_RDONLY | O_CLOEXEC)
        defer { try? devnull?.close() }
        let pid: Int32
        do {
            pid = try ChildProcess.spawn("/bin/sh", arguments: ["sh", "-ec", script],
                                         environment: environment.map { "\($0.key)=\($0.value)" },
                                         directory: workspace.current, stdin: devnull,
                                         stdout: pipe.write, stderr: pipe.write)
        } catch {
            try? pipe.read.close()
            try? pipe.write.close()
            throw error
        }
        try? pipe.write.close()
        let output = (try? ChildProcess.readAll(pipe.read)) ?? []
        try? pipe.read.close()
        return Result(output: String(decoding: output, as: UTF8.self), termination: try ChildProcess.wait(pid))
    }
}
