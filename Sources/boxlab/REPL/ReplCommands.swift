import CBoxLab
import FoundationEssentials
import Glibc
import Lab

/// A command of the REPL itself (as opposed to the command language it performs).
struct ReplCommand: Sendable {
    let names: [String]
    let usage: String
    let summary: String
    /// What Tab offers for an operand, given the words before it (the command's name first);
    /// nil, or no closure: workspace paths.
    var operands: (@Sendable (ReplSession, [String]) -> [String]?)? = nil
    let action: @Sendable (ReplSession, [String]) -> Void
}

enum Dispatch { case handled, quit }

extension ReplSession {
    static let commands: [ReplCommand] = [
        ReplCommand(names: ["next", "n"], usage: "next", summary: "guided: perform the step and go on; exercise: check it and go on if it passes (Enter does the same in guided mode)") { repl, _ in repl.next() },
        ReplCommand(names: ["check"], usage: "check", summary: "check the step's expectations against the kernel now, and re-check earlier steps") { repl, _ in repl.check() },
        ReplCommand(names: ["hint"], usage: "hint", summary: "show the next hint for this step") { repl, _ in repl.hint() },
        ReplCommand(names: ["solution"], usage: "solution", summary: "show the commands that perform this step (without running them)") { repl, _ in repl.solution() },
        ReplCommand(names: ["skip"], usage: "skip", summary: "perform the step for you and go on (not counted as done)") { repl, _ in repl.skip() },
        ReplCommand(names: ["back"], usage: "back", summary: "show the previous step again (the kernel state stays; `reset --to N` rebuilds it)") { repl, _ in
            repl.current = max(1, repl.current - 1)
            repl.finished = false
            repl.showCurrent()
        },
        ReplCommand(names: ["reset"], usage: "reset [--to N]", summary: "empty the workspace and start the lab again, or rebuild the state before step N") { repl, args in
            repl.reset(to: args.count == 2 && args[0] == "--to" ? Int(args[1]) ?? 0 : 1)
        },
        ReplCommand(names: ["goto"], usage: "goto N", summary: "jump to step N (an instructor's checkpoint): forwards by performing the steps on the way, a line each; backwards by rebuilding from step 1") { repl, args in
            repl.goto(args.first.flatMap { Int($0) } ?? 0)
        },
        ReplCommand(names: ["show"], usage: "show [net|mounts|cgroups|processes] [--svg FILE] [--large] [--dot]",
                    summary: "show the current step again, or draw the kernel's state: the network (--dot: Graphviz), the workspace's mounts, the lab's cgroups, the session's processes and their namespaces; --svg writes a picture to FILE, --large for a projector",
                    operands: { _, before in
                        before.last == "--svg" ? nil : before.count == 1 ? PictureKind.allCases.map(\.rawValue) : ["--svg", "--large", "--dot"]
                    }) { repl, args in
            guard let kind = args.first.flatMap(PictureKind.init(rawValue:)) else { return repl.showCurrent() }
            repl.show(kind, options: Array(args.dropFirst()))
        },
        ReplCommand(names: ["steps"], usage: "steps", summary: "list the lab's steps (✓ done, ▸ current)") { repl, _ in repl.listSteps() },
        ReplCommand(names: ["status"], usage: "status", summary: "lab, step, mode, where the work happens") { repl, _ in repl.status() },
        ReplCommand(names: ["mode"], usage: "mode guided|exercise|demo", summary: "switch how the lab is taken", operands: { _, _ in Mode.allCases.map(\.rawValue) }) { repl, args in
            guard let name = args.first, let mode = Mode(rawValue: name) else {
                repl.console.line("modes: guided, exercise, demo (now: \(repl.mode.rawValue))")
                return
            }
            repl.mode = mode
            repl.showCurrent()
        },
        ReplCommand(names: ["labs"], usage: "labs", summary: "list the labs") { repl, _ in
            for id in repl.catalog.ids() { repl.console.line((id == repl.lab.id ? "▸ " : "  ") + id) }
        },
        ReplCommand(names: ["open"], usage: "open LAB", summary: "start another lab (its own workspace)", operands: { repl, _ in repl.catalog.ids() }) { repl, args in
            guard let name = args.first else { repl.console.line("usage: open LAB (see `labs`)"); return }
            repl.open(name)
        },
        ReplCommand(names: ["play"], usage: "play [SECONDS]", summary: "demo: perform the remaining steps one after another, pausing between them (Ctrl-C stops)") { repl, args in
            repl.play(pause: args.first.flatMap(Double.init) ?? 3)
        },
        ReplCommand(names: ["notes"], usage: "notes", summary: "show the presenter notes of this step (`boxlab notes` follows them on a second terminal)") { repl, _ in
            let notes = repl.step?.notes ?? []
            if notes.isEmpty { repl.console.line("this step has no presenter notes") }
            for note in notes { repl.console.line("note: " + note, .note) }
        },
        ReplCommand(names: ["help", "?"], usage: "help [COMMAND]", summary: "this list, or help on one command",
                    operands: { _, _ in ReplSession.commandNames + ["expect"] }) { repl, args in repl.help(args.first) },
        ReplCommand(names: ["quit", "exit"], usage: "quit", summary: "leave (Ctrl-D too): progress is saved, the sandbox removed") { _, _ in },
    ]

    /// Every name a line may start with: the REPL's own commands, then the command language's.
    static var commandNames: [String] { commands.flatMap(\.names) + CommandSet.all.map(\.name) }

    func dispatch(_ line: String) -> Dispatch {
        if line.isEmpty {
            if mode != .exercise { next() }
            return .handled
        }
        let words = line.split(separator: " ").map(String.init)
        guard let command = ReplSession.commands.first(where: { $0.names.contains(words[0]) }) else {
            session.perform(line)
            return .handled
        }
        if command.names.contains("quit") { return .quit }
        command.action(self, Array(words.dropFirst()))
        return .handled
    }

    /// Instructor pacing: each remaining step is performed (guided) and shown, with a pause in
    /// which the audience reads; Ctrl-C ends it between steps or during the pause.
    func play(pause seconds: Double) {
        boxlab_interrupt_take()
        let wasMode = mode
        if mode == .exercise { mode = .guided }
        defer { mode = wasMode }
        while step != nil, boxlab_interrupt_pending() == 0 {
            let before = current
            next()
            guard current != before, step != nil, pause(seconds: seconds) else { break }
        }
        if boxlab_interrupt_take() > 0 { console.line("stopped", .dim) }
    }

    func hint() {
        guard let step else { return }
        let shown = hintsShown[step.number, default: 0]
        guard shown < step.hints.count else {
            console.line(step.hints.isEmpty ? "no hints for this step; `solution` shows the commands" : "no more hints; `solution` shows the commands")
            return
        }
        console.line("hint \(shown + 1)/\(step.hints.count): " + step.hints[shown], .note)
        hintsShown[step.number] = shown + 1
        Progress.change { $0.noteHint(lab.id, step: step.number) }
    }

    func solution() {
        guard let step else { return }
        for block in step.actions {
            if block.kind == .sh { console.line("sh <<'EOF'\n\(block.text)\nEOF", .command) } else { block.lines.forEach { console.line($0.text, .command) } }
        }
    }

    func skip() {
        guard let step else { return }
        let report = session.perform(step)
        guard report.passed else { return console.line("performing the step failed; see above", .failure) }
        advance(completed: false)
    }

    func listSteps() {
        let done = Set(progress.labs[lab.id]?.completed ?? [])
        for step in lab.steps {
            let mark = step.number == current ? "▸" : done.contains(step.number) ? "✓" : " "
            console.line("\(mark) \(step.number). \(step.title)")
        }
    }

    func status() {
        console.line("lab \(lab.id), step \(min(current, lab.steps.count)) of \(lab.steps.count), \(mode.rawValue) mode")
        console.line(workbench.isolation == .host ? "working on the host" : "working in the session sandbox (`boxlab shell` joins it)")
        console.line("workspace <ws> = \(session.workspace.root); current directory \(session.workspace.currentForDisplay)")
    }

    func help(_ topic: String?) {
        if let topic {
            if let command = ReplSession.commands.first(where: { $0.names.contains(topic) }) {
                console.line("\(command.usage)\n  \(command.summary)")
            } else if let command = CommandSet.byName[topic] {
                console.line("\(command.usage)\n  \(command.summary)\n  performed by BoxLab itself with system calls, which it shows")
            } else if topic == "expect" || topic == "expectations" {
                console.line("expectations (expect blocks in lab files):")
                for form in ExpectationParser.forms { console.line(form, indent: 2) }
            } else {
                console.line("no command '\(topic)'; `help` lists them", .failure)
            }
            return
        }
        console.line("REPL commands:", .heading)
        for command in ReplSession.commands {
            console.line(column(command.usage, 28) + command.summary, indent: 2)
        }
        console.line("")
        console.line("the command language (performed in-process, system calls shown):", .heading)
        for command in CommandSet.all {
            console.line(column(command.usage, 44) + command.summary, indent: 2)
        }
        console.line("")
        console.line("anything else runs in a shell of your own: `boxlab shell` in another terminal; `help expect` lists expectations", .dim)
    }
}

/// `text` padded to `width`; a longer one gets a line of its own, the next starting at `width`.
private func column(_ text: String, _ width: Int) -> String {
    text.count < width ? text.padding(toWidth: width)
        : text + "\n" + String(repeating: " ", count: width)
}
