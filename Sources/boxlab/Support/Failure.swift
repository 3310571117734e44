import ArgumentParser
import Glibc
import Kernel
import Lab
import LiveView

/// Prints `boxlab: message` as one line on stderr.
func printError(_ message: String) {
    StandardStream.error.write("boxlab: \(message)\n")
}

/// Prints `boxlab: message` as one line on stderr and gives the exit code to throw.
func failure(_ message: String, code: Int32 = 2) -> ExitCode {
    printError(message)
    return ExitCode(code)
}

/// BoxLab makes mounts and namespaces: it needs root, and says so before trying.
func requireRoot() throws {
    // A sandbox half entered leaves no root in its user namespace: its own failure says why.
    if let failure = Launcher.sandboxFailure() { throw failure }
    guard getuid() == 0 else {
        throw failure("must run as root, since it makes mounts and namespaces: sudo boxlab \(CommandLine.arguments.dropFirst().joined(separator: " "))")
    }
}

/// Loads a lab or exits with its one-line error (file:line: message).
func loadLab(_ name: String) throws -> Lab {
    do { return try LabCatalog.locate().load(name) } catch {
        throw failure(error.description)
    }
}

func enter(_ placement: Placement, writable: [String] = [], view: ViewAddress? = nil) throws -> Isolation {
    do { return try Launcher(writable: writable, view: view).enter(placement) } catch {
        throw failure("\(error)", code: 1)
    }
}
