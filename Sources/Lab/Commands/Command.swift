import Kernel

/// One command of BoxLab's command language: a name learners know, performed in-process.
public struct Command: Sendable {
    public let name: String
    /// One line, as `help` and usage errors show it: `mkdir [-p] [-m MODE] DIR...`.
    public let usage: String
    public let summary: String
    let options: [OptionSpec]
    /// iproute2's commands take their options before the object (`ip -n red link …`); what
    /// follows is a sentence of keywords, some of which look like options (`ping -c 2`).
    let optionsEndAtFirstOperand: Bool
    /// The command reads its words itself (`kill -9`, `kill -KILL` are not getopt options).
    let rawArguments: Bool
    /// The command has a form that runs in the process being set up between clone and exec
    /// (`Invocation.inChild`): while one waits, this command goes to it.
    let runsInChild: Bool
    /// The command starts a program (`unshare … PROGRAM`), so its line may end with `&`.
    let startsPrograms: Bool
    /// The line this command performs in turn, found in its words after the name (`ip netns
    /// exec NS LINE`): that line decides whether `&` may end this one.
    let innerLine: (@Sendable ([String]) -> [String]?)?
    let perform: @Sendable (Invocation) throws -> Void

    init(_ name: String, usage: String, summary: String, options: [OptionSpec] = [], optionsEndAtFirstOperand: Bool = false,
         rawArguments: Bool = false, runsInChild: Bool = false, startsPrograms: Bool = false,
         innerLine: (@Sendable ([String]) -> [String]?)? = nil, perform: @escaping @Sendable (Invocation) throws -> Void) {
        self.name = name
        self.usage = usage
        self.summary = summary
        self.options = options
        self.optionsEndAtFirstOperand = optionsEndAtFirstOperand
        self.rawArguments = rawArguments
        self.runsInChild = runsInChild
        self.startsPrograms = startsPrograms
        self.innerLine = innerLine
        self.perform = perform
    }

    /// The words after the name, parsed as this command takes them.
    func parse(_ words: [String]) throws -> ParsedOptions {
        if rawArguments { return ParsedOptions(operands: words) }
        return try ParsedOptions.parse(words, specs: options, command: name, endAtFirstOperand: optionsEndAtFirstOperand)
    }
}

/// A command with its arguments parsed, and what it may touch while it runs.
public final class Invocation: @unchecked Sendable {
    public let command: Command
    public let options: ParsedOptions
    public let workspace: Workspace
    public let workbench: Workbench
    /// What the command may act on besides the session's own objects (see `Reach`).
    let reach: Reach
    /// The network namespace the command acts in: `host`, or the one `ip netns exec` names.
    let namespace: String
    /// The line ended with `&` (only commands that start programs accept it).
    let background: Bool
    /// `> FILE` of the line: applied to the output once the command is done, unless the
    /// command takes them for a program it starts.
    var redirections: [Redirection]
    private(set) var output: [UInt8] = []
    /// Run from the shell (`boxlab container run`, `boxlab image`), not in a lab session:
    /// programs get BoxLab's own standard input, output and error, BoxLab exits the way the
    /// program did, and no session variables are set.
    public var standalone = false
    public internal(set) var exitStatus: Int32 = 0

    init(command: Command, options: ParsedOptions, workspace: Workspace, workbench: Workbench, reach: Reach,
         namespace: String = NetworkPlaces.host, background: Bool = false, redirections: [Redirection] = []) {
        self.command = command
        self.options = options
        self.workspace = workspace
        self.workbench = workbench
        self.reach = reach
        self.namespace = namespace
        self.background = background
        self.redirections = redirections
    }

    var operands: [String] { options.operands }

    /// The command runs in the process being set up between clone and exec (`clone`), not in
    /// BoxLab: its calls are sent to that process, and its paths are that process's to
    /// resolve, from its own root and current directory.
    var inChild = false

    func write(_ text: String) { output.append(contentsOf: Array(text.utf8)) }
    func write(bytes: [UInt8]) { output.append(contentsOf: bytes) }
    func discardOutput() { output.removeAll() }

    /// The absolute path BoxLab hands the kernel for an operand (relative to the current
    /// directory), once the path rules allow `use` of it (`PathPolicy`); a refusal is this
    /// command's one-line failure. The process being set up resolves its own paths: those are
    /// checked by `perform`.
    func path(_ operand: String, for use: PathUse, following: Bool = true) throws(CommandError) -> String {
        do { return try workspace.confine(operand, for: use, following: following) } catch let refusal as PathRefusal {
            throw failure(refusal.description)
        } catch {
            throw failure(operand, error)
        }
    }

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
