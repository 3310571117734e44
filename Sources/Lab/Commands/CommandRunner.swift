import Kernel

/// What one command did: the system calls it made, what it printed, and how it failed.
public struct CommandOutcome: Sendable {
    public var trace: [TraceEntry]
    public var output: String
    public var error: CommandError?
    /// How the program it ran in the terminal ended, as a shell's `$?`.
    public var exitStatus: Int32 = 0
}

/// Parses a line of the command language and performs it in-process.
public enum CommandRunner {
    /// The command a line names and its parsed words, or why it cannot run; nothing is performed.
    /// Lab files are checked with this when they load.
    public static func prepare(_ line: String, variables: Variables? = nil) throws(CommandError) -> (Command, CommandWords, ParsedOptions) {
        let words: CommandWords
        do { words = try ShellWords.parse(line, variables: variables?.lookup) } catch {
            throw CommandError(message: "\(error.message) (column \(error.column))")
        }
        guard let name = words.words.first else { throw CommandError(message: "empty command") }
        if let assignment = Command.assignment(words) { return (assignment, words, ParsedOptions()) }
        if words.background, !CommandSet.startsProgram(words.words) {
            throw CommandError(message: "\(name): '&' starts a program in the background", cause: "\(name) is performed by BoxLab itself, at once; '&' goes after unshare, setpriv, nsenter, cgexec or container run")
        }
        guard let command = CommandSet.byName[name] else {
            let known = CommandSet.all.map(\.name).joined(separator: ", ")
            throw CommandError(message: "unknown command '\(name)'",
                               cause: CommandSet.redirects[name] ?? "BoxLab performs \(known) itself; anything else goes in an sh block")
        }
        if let input = words.redirections.first(where: { $0.kind == .input }) {
            throw CommandError(message: "\(name): input redirection (< \(input.target)) is not supported", cause: "use an sh block")
        }
        do {
            let options = try command.parse(Array(words.words.dropFirst()))
            return (command, words, options)
        } catch let error as CommandError {
            throw error
        } catch {
            throw CommandError(message: "\(name): \(error)")
        }
    }

    /// Performs `line`, recording every system call it makes unless `traced` is false (nobody
    /// will see the trace: a silent replay, `--json`; rendering it is much of the cost).
    /// `standalone`: run from the shell, outside a lab session (see `Invocation.standalone`).
    /// `reach`: what the line may act on besides the session's own objects (see `Reach`).
    public static func run(_ line: String, workspace: Workspace, workbench: Workbench, reach: Reach = .session, traced: Bool = true,
                           standalone: Bool = false, recorder: TraceRecorder = TraceRecorder()) -> CommandOutcome {
        var outcome = CommandOutcome(trace: [], output: "", error: nil)
        var current: Invocation?
        do {
            let (command, words, options) = try prepare(line, variables: workbench.variables)
            let invocation = Invocation(command: command, options: options, workspace: workspace, workbench: workbench, reach: reach,
                                        background: words.background, redirections: words.redirections)
            invocation.standalone = standalone
            invocation.inChild = workbench.held.pid != nil && command.runsInChild
            current = invocation
            let perform = {
                try command.perform(invocation)
                try redirect(invocation)
            }
            if traced { try Trace.recording(into: recorder, perform) } else { try perform() }
        } catch let error as CommandError {
            outcome.error = error
        } catch let error as KernelError {
            outcome.error = CommandError(message: workspace.display(error.description), cause: likelyCause(of: error))
        } catch {
            outcome.error = CommandError(message: "\(error)")
        }
        outcome.trace = recorder.drain()
        outcome.output = current?.printed ?? ""
        outcome.exitStatus = current?.exitStatus ?? 0
        return outcome
    }

    /// `> FILE` and `>> FILE`: the output goes to the file (a traced open/write/close), not the screen.
    private static func redirect(_ invocation: Invocation) throws {
        guard let target = invocation.redirections.last(where: { $0.kind != .input }) else { return }
        let path = try invocation.path(target.target, for: .write)
        try invocation.requireOwnProcesses(writtenTo: path)
        do throws(KernelError) {
            try FileSystem.writeFile(path, invocation.output, append: target.kind == .append)
        } catch {
            throw invocation.failure("cannot write '\(target.target)'", error, cause: cgroupFileCause(path, error))
        }
        invocation.discardOutput()
    }
}

extension Invocation {
    /// Performs another command as part of this one, in `namespace` (`ip netns exec NS …`);
    /// its output becomes this command's.
    func perform(_ words: [String], in namespace: String) throws {
        guard let name = words.first else { throw failure("no command after the namespace") }
        guard let command = CommandSet.byName[name] else {
            // Another program starts in a child that joins the namespace, as ip(8) does it.
            var launch = ProcessLaunch(program: words)
            launch.join = [(.net, workbench.places.path(of: namespace))]
            return try self.launch(launch)
        }
        let options = try command.parse(Array(words.dropFirst()))
        // A program the nested command starts takes this line's `&` and `> FILE`.
        let nested = Invocation(command: command, options: options, workspace: workspace, workbench: workbench, reach: reach, namespace: namespace,
                                background: background, redirections: redirections)
        redirections = []
        try command.perform(nested)
        write(bytes: nested.output)
    }

    /// What the learner sees: the output, unless it was redirected into a file.
    var printed: String { String(decoding: output, as: UTF8.self) }
}
