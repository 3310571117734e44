import ArgumentParser
import Lab

struct ResetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset",
        abstract: "Remove everything BoxLab made: sandbox, mounts, processes, workspaces.",
        discussion: "Works after Ctrl-C, a crash or SIGKILL, in host mode too: it reads the ledger every object is journaled in with its identity, and removes an object only when it is still the one BoxLab made. A session still running in the run directory is ended first."
    )

    func run() throws {
        try requireRoot()
        let done: [String]
        do { done = try Reset(run: .default).performEndingSession() } catch {
            throw failure("\(error)", code: 1)
        }
        print(done.isEmpty ? "nothing to reset" : done.joined(separator: "\n"))
    }
}
