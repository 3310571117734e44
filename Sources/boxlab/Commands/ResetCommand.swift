import ArgumentParser
import Lab

struct ResetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset",
        abstract: "Remove everything BoxLab made: sandbox, mounts, processes, workspaces.",
        discussion: "Works after Ctrl-C, a crash or SIGKILL, in host mode too: it reads the ledger that every object is journaled in before it is made."
    )

    func run() throws {
        try requireRoot()
        let done = Reset(run: .default).perform()
        print(done.isEmpty ? "nothing to reset" : done.joined(separator: "\n"))
    }
}
