import ArgumentParser
import Glibc
import Kernel

struct SandboxCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Run a command (default: /bin/sh) in a new throwaway sandbox; everything in it goes when it ends."
    )

    @Flag(help: "The trusted flavour, for the test suite's harness: host root in new mount, network, UTS and IPC namespaces, the host's files writable. Not a boundary.")
    var trusted = false

    @Argument(parsing: .captureForPassthrough, help: "The command and its arguments.") var command: [String] = []

    func run() throws {
        try requireRoot()
        _ = try enter(trusted ? .newTrusted : .newPrivate)
        let arguments = command.first == "--" ? Array(command.dropFirst()) : command
        let argv = arguments.isEmpty ? ["/bin/sh"] : arguments
        withCStrings(argv) { execvp(argv[0], $0) }
        throw failure("cannot run \(argv[0]): \(String(cString: strerror(errno)))", code: 127)
    }
}
