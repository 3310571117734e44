import CBoxLab
import FoundationEssentials
import Glibc
import Kernel
import Lab
import LiveView

/// The REPL's state: the lab, where the learner is in it, and how it is being taken.
final class ReplSession {
    /// The lab being taken; the page in the browser follows each one the REPL opens.
    var session: Session {
        didSet { view?.follow(session, mode: mode.rawValue) }
    }
    var current = 1
    /// The first step whose work is not in the workspace yet: `current`, except after `back`,
    /// which shows an earlier step and leaves the kernel's state as it is.
    var built = 1
    var mode: Mode {
        didSet { view?.modeChanged(mode.rawValue) }
    }
    /// The page in the browser that follows the session (`--view`).
    let view: ViewFeed?
    var hintsShown: [Int: Int] = [:]
    var finished = false
    /// Whether the learner was told that earlier steps are not re-checked (no reference run).
    var notedMissingStanding = false
    let workbench: Workbench
    let console: Console
    let catalog = LabCatalog.locate()
    var progress = Progress.load(from: .default)
    /// `--record-demo`: where the lines entered go.
    var recorder: DemoRecorder?
    /// `--replay-demo`: the lines typed before the learner's, while it lasts.
    var replay: DemoReplay?
    lazy var editor = LineEditor(historyFile: StateDirectory.default.history) { [unowned self] request in
        Completion(repl: self).candidates(request)
    }

    init(lab: Lab, workbench: Workbench, mode: Mode, console: Console, view: ViewFeed? = nil) throws {
        self.workbench = workbench
        self.mode = mode
        self.console = console
        self.view = view
        do { session = try ReplSession.fresh(lab, workbench: workbench, console: console) } catch {
            throw failure("cannot prepare the workspace: \(error)", code: 1)
        }
        view?.follow(session, mode: mode.rawValue)
    }

    /// A session on `lab` from an empty workspace, with none of an earlier attempt's programs
    /// and empty cgroups; Ctrl-C stops its steps between commands.
    private static func fresh(_ lab: Lab, workbench: Workbench, console: Console) throws -> Session {
        let session = try workbench.open(lab, console: console)
        session.interrupted = { boxlab_interrupt_pending() > 0 }
        return session
    }

    var lab: Lab { session.lab }
    var step: Step? { session.step(current) }

    /// The banner, then the step the learner left off at (earlier steps replayed, since a new
    /// session starts from an empty workspace).
    func start(resume: Bool) {
        // The kernel says which sandbox this is: the boundary maps root to other host ids.
        let place = workbench.isolation == .host
            ? "on this host"
            : UserNamespace.mapsHostRoot
            ? "in a sandbox that is not a boundary on this machine (own mount, network, UTS and IPC namespaces, the host's root; `boxlab shell` opens a shell in it)"
            : "in a sandbox (own user, mount, network, UTS, IPC, cgroup and PID namespaces, the host read-only; `boxlab shell` opens a shell in it)"
        console.line("BoxLab — \(lab.id): \(lab.title)", .heading)
        console.line("\(lab.steps.count) steps, \(mode.rawValue) mode, working \(place)", .dim)
        console.line("workspace <ws> = \(session.workspace.root)", .dim)
        console.line("type `help` for commands" + (mode == .exercise ? "; do each step yourself, then `check`" : "; Enter or `next` performs the step"), .dim)
        if !lab.introduction.isEmpty { console.line(""); console.line(ProseRenderer.render(lab.introduction, colors: console.colors)) }
        let saved = progress.labs[lab.id]?.current ?? 1
        Progress.change { $0.noteOpened(lab.id, mode: mode.rawValue) }
        if resume, saved > 1, saved <= lab.steps.count {
            console.line("")
            console.line("you were at step \(saved): rebuilding the state", .dim)
            return build(to: saved, from: 1, doing: "replaying")
        }
        showCurrent()
    }

    /// Goes to step `number`: forwards by performing the steps on the way from the one the
    /// workspace has reached; backwards, or to the current step, by rebuilding from step 1.
    func goto(_ number: Int) {
        guard inRange(number) else { return }
        if number > current && number >= built { return build(to: number, from: built, doing: "performing") }
        reset(to: number)
    }

    /// Empties the workspace (as opening the lab does) and rebuilds the state before step `number`.
    func reset(to number: Int) {
        guard inRange(number) else { return }
        do { session = try ReplSession.fresh(lab, workbench: workbench, console: console) } catch {
            return console.line("✗ cannot empty the workspace: \(error)", .failure)
        }
        build(to: number, from: 1, doing: "replaying")
    }

    private func inRange(_ number: Int) -> Bool {
        if (1...lab.steps.count).contains(number) { return true }
        console.line("\(lab.id) has steps 1 to \(lab.steps.count)", .failure)
        return false
    }

    /// The one way to a step other than the next (resuming, `reset --to`, `goto`): steps from
    /// `first` (where the workspace is) to the one before `number` are performed quietly, a
    /// line each; one that does not pass stops it there, in a line. The step reached is
    /// saved as the learner's and shown. Steps performed so are not counted as done.
    private func build(to number: Int, from first: Int, doing verb: String) {
        finished = false
        var reached = number
        if first < number { console.line("\(verb) \(first == number - 1 ? "step \(first)" : "steps \(first)-\(number - 1)")…", .dim) }
        for step in lab.steps where (first..<number).contains(step.number) {
            console.quiet = true
            let report = session.perform(step)
            console.quiet = false
            guard report.passed else {
                let why = report.interrupted ? "interrupted" : report.error ?? report.checks.first { !$0.passed }.map { "\($0.summary) does not hold" } ?? "it did not pass"
                console.line("✗ \(verb) stopped at step \(step.number): \(why); staying there", .failure)
                reached = step.number
                break
            }
            console.line((report.skipped == nil ? "✓ " : "– ") + "\(step.number). \(step.title)", .dim, indent: 2)
        }
        settle(at: reached)
        showCurrent()
    }

    func showCurrent() {
        guard let step else { return }
        Progress.change { $0.noteShown(lab.id, step: step.number) }
        SessionRecord(lab: lab.id, shown: .step(number: step.number, of: lab.steps.count, title: step.title, notes: step.notes)).save(workbench.run)
        session.showHeading(step, prose: true)
        if session.showSkipped(step) { return console.line("`next` goes on", .dim) }
        switch mode {
        case .guided, .demo:
            if mode == .demo { for note in step.notes { console.line("note: " + note, .note) } }
            let lines = step.actions.flatMap { $0.kind == .sh ? ["sh <<'EOF'", $0.text, "EOF"] : $0.lines.map(\.text) }
            if !lines.isEmpty {
                console.line("next runs:", .dim)
                for line in lines { console.line(line, .dim, indent: 2) }
            }
        case .exercise:
            console.line("your turn: make the kernel match this step, here or in any shell (`boxlab shell`), then `check`", .dim)
        }
    }

    /// Guided: perform the step and move on if it passed. Exercise: check, and move on to the
    /// step after the furthest one the kernel shows (the learner may have done several).
    func next() {
        guard let step else { return finish() }
        if step.skipped != nil { return advance(completed: true) }
        if mode == .exercise {
            guard let done = check(moving: false) else {
                return console.line("not yet: `hint` helps, `solution` shows the commands", .failure)
            }
            return advance(doneThrough: done)
        }
        // A Ctrl-C that stopped the step stays pending: `play` and a replayed demo stop at it,
        // and the prompt takes it.
        let report = session.perform(step)
        guard report.passed else {
            return console.line("the step did not pass: see above; `reset --to \(current)` rebuilds the state", .failure)
        }
        advance(completed: true)
    }

    func advance(completed: Bool) {
        if completed { return advance(doneThrough: current) }
        advance(to: current + 1)
    }

    /// Steps from the current one to `done` are done; the learner goes to the next.
    func advance(doneThrough done: Int) {
        Progress.change { $0.record(lab.id, doneThrough: done, from: current) }
        advance(to: done + 1)
    }

    private func advance(to number: Int) {
        settle(at: number)
        if current > lab.steps.count { finish() } else { showCurrent() }
    }

    /// The learner is at step `number`, the steps before it done in the workspace: saved, so
    /// that a new session resumes there.
    private func settle(at number: Int) {
        progress = Progress.load(from: .default)  // `boxlab check` and the notes on hints and checks wrote it meanwhile
        var record = progress.labs[lab.id] ?? Progress.LabProgress()
        current = number
        built = number
        record.current = current
        record.mode = mode.rawValue
        progress.labs[lab.id] = record
        progress.lastLab = lab.id
        progress.save(to: .default)
    }

    func finish() {
        guard !finished else { return }
        finished = true
        SessionRecord(lab: lab.id, shown: .end).save(workbench.run)
        console.line("")
        console.line("✓ \(lab.id) complete. `open LAB` starts another lab; `labs` lists them.", .success)
    }

    /// The current step's expectations and earlier steps' standing ones, shown; when the
    /// learner is ahead, the furthest step the kernel shows, and (`moving`) the learner goes
    /// on to the step after it. Returns that step's number, or nil when the current one does
    /// not pass.
    @discardableResult
    func check(moving: Bool = true) -> Int? {
        guard step != nil else { console.line("the lab is complete; nothing to check"); return nil }
        if !notedMissingStanding { ReferenceRun.noteIfMissing(session); notedMissingStanding = true }
        let done = CheckOutcome.progress(session, current: current).done
        session.observer?.ended("check", report: nil, in: session)
        if moving, let done, done > current { advance(doneThrough: done) }
        return done
    }

    func open(_ name: String) {
        do {
            let lab = try catalog.load(name)
            session = try ReplSession.fresh(lab, workbench: workbench, console: console)
            SessionRecord(lab: lab.id).save(workbench.run)
            current = 1
            built = 1
            finished = false
            notedMissingStanding = false
            hintsShown = [:]
            start(resume: true)
        } catch {
            console.line("✗ \(error)", .failure)
        }
    }

    func loop() {
        while true {
            // While a process waits between clone and exec, the commands that run in it go there.
            let held = workbench.held.pid.map { " [pid \($0) before exec]" } ?? ""
            let prompt = "\(lab.id) \(min(current, lab.steps.count))/\(lab.steps.count)\(held)> "
            let prompted = ContinuousClock.now
            switch input(after: prompt) {
            case .endOfInput:
                console.line("")
                console.line("bye: progress saved; the sandbox and everything in it are being removed", .dim)
                return
            case .interrupted:
                continue
            case .line(let text):
                let line = text.trimmingWhitespace()
                recorder?.note(line, after: (ContinuousClock.now - prompted) / .seconds(1))
                if !line.isEmpty { editor.remember(line) }
                if dispatch(line) == .quit { return }
            }
        }
    }

    /// The next line: a replayed demo's while it lasts, then what the learner types.
    private func input(after prompt: String) -> LineEditor.Input {
        if let line = replay?.type(after: prompt) { return .line(line) }
        replay = nil
        return editor.read(prompt: prompt)
    }
}
