import Kernel

/// One command of BoxLab's command language: a name learners know, performed in-process.
public struct Command: Sendable {
    public let name: String
    /// One line, as `help` and usage errors show it: `mkdir [-p] [-m MODE] DIR...`.
    public let usage: String
    public let summary: String
    let options: [OptionSpec]
    let perform: @Sendable (Invocation) throws -> Void

    init(_ name: String, usage: String, summary: String, options: [OptionSpec] = [],
         perform: @escaping @Sendable (Invocation) throws -> Void) {
        self.name = name
        self.usage = usage
        self.summary = summary
        self.options = options
        self.perform = perform
    }
}

/// A command with its arguments parsed, and what it may touch while it runs.
public final class Invocation: @unchecked Sendable {
    public let command: Command
    public let options: ParsedOptions
    public let workspace: Workspace
    public let environment: Workbench
    private(set) var output: [UInt8] = []

    init(command: Command, options: ParsedOptions, workspace: Workspace, environment: Workbench) {
        self.command = command
        self.options = options
        self.workspace = workspace
        self.environment = environment
    }

    var operands: [String] { options.operands }

    func write(_ text: String) { output.append(contentsOf: Array(text.utf8)) }
    func write(bytes: [UInt8]) { output.append(contentsOf: bytes) }
    func discardOutput() { output.removeAll() }

    /// An absolute path for an operand, relative to the current directory.
    func path(_ operand: String) -> String { workspace.resolve(operand) }

    /// A failure of this command, one line, naming the command as coreutils would.
    func failure(_ message: String, cause: String? = nil) -> CommandError {
        CommandError(message: "\(command.name): \(workspace.display(message))", cause: cause)
    }

    /// Wraps a kernel error with what the command was doing and, where one is known, why.
    func failure(_ doing: String, _ error: any Error, cause: String? = nil) -> CommandError {
        guard let error = error as? KernelError else { return failure("\(doing): \(error)", cause: cause) }
        return failure("\(doing): \(error.errno)", cause: cause ?? likelyCause(of: error))
    }

    func requireOperands(_ range: ClosedRange<Int>) throws {
        guard range.contains(operands.count) else {
            throw failure(operands.count < range.lowerBound ? "missing operand" : "too many operands", cause: "usage: \(command.usage)")
        }
    }
}

extension Workbench {
    /// Journals a mount that will outlive the process (host mode); in a sandbox the mount
    /// dies with the sandbox's mount namespace.
    func willMount(_ target: String) throws(KernelError) {
        if isolation == .host { try ledger.record(.mount(target: target)) }
    }
}

public struct CommandError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    /// The likely reason and the fix, when BoxLab can tell.
    public var cause: String?

    public init(message: String, cause: String? = nil) {
        self.message = message
        self.cause = cause
    }

    public var description: String { cause.map { "\(message) (\($0))" } ?? message }
}

/// Common reasons behind an errno, phrased for a learner.
func likelyCause(of error: KernelError) -> String? {
    switch error.errno {
    case .ENOENT: "a directory in the path does not exist"
    case .EEXIST: "it already exists"
    case .ENOTEMPTY: "the directory is not empty; use rm -r"
    case .EBUSY: "something is mounted there or it is in use; unmount it first"
    case .EPERM, .EACCES: "BoxLab must run as root"
    case .ENOTDIR: "a component of the path is not a directory"
    case .EISDIR: "it is a directory"
    default: nil
    }
}
