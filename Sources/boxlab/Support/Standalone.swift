import FoundationEssentials
import Kernel
import Lab

/// Runs one command of the lab language from the shell (`boxlab container run …`, `boxlab
/// image …`): in the current directory, with the default run directory, its system calls
/// on standard error as they are made, its output on standard output. Returns the status
/// to exit with: the program's, or 125 when the command failed (as docker run does).
func runStandalone(_ words: [String]) -> Int32 {
    let environment = Workbench(run: .default, isolation: .host)
    let workspace = Workspace(root: FileManager.default.currentDirectoryPath, namesRoot: false, confined: false)
    // Single quotes: the words reach the command exactly as the shell passed them.
    let line = words.map { "'" + $0.replacing("'", with: "'\"'\"'") + "'" }.joined(separator: " ")
    let recorder = TraceRecorder { entry in StandardStream.error.write(entry.description + "\n") }
    // Typed by root at the shell, as the real tool would be: no lab to distrust.
    let outcome = CommandRunner.run(line, workspace: workspace, workbench: environment, reach: .machine, standalone: true, recorder: recorder)
    StandardStream.output.write(outcome.output)
    if let error = outcome.error { return standaloneFailure(error.description) }
    return outcome.exitStatus
}

private func standaloneFailure(_ message: String) -> Int32 {
    printError(message)
    return 125
}
