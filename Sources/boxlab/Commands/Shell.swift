import ArgumentParser
import FoundationEssentials
import Glibc
import Kernel
import Lab

struct Shell: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Open /bin/sh inside the running session's sandbox, to use ip, findmnt, mount… beside the REPL."
    )

    @Option(name: .shortAndLong, help: "Run this command instead of an interactive shell.") var command: String?

    func run() throws {
        try requireRoot()
        _ = try enter(.joinSession)
        let run = RunDirectory.default
        let lab = SessionRecord.load(run)?.lab
        let workspace = lab.map { run.workspaces + "/" + $0 } ?? run.workspaces
        _ = FileManager.default.changeCurrentDirectoryPath(workspace)
        setenv("WS", workspace, 1)
        setenv("PS1", "[boxlab sandbox] \\w # ", 1)
        // What the learner starts here (unshare -m leaves the sandbox's mount namespace) is
        // the session's too: `reset` finds it by this mark.
        setenv(RunDirectory.ownerVariable, run.path, 1)
        // The session's names ($c1…) work here too; `boxlab check --set c1=$!` adds one.
        for (name, value) in Variables(run: run).forShell() { setenv(name, value, 1) }
        let arguments = command.map { ["sh", "-c", $0] } ?? ["sh", "-i"]
        withCStrings(arguments) { execv("/bin/sh", $0) }
        throw failure("cannot run /bin/sh: \(String(cString: strerror(errno)))", code: 1)
    }
}
