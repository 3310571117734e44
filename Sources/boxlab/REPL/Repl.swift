import ArgumentParser
import CBoxLab
import FoundationEssentials
import Glibc
import Kernel
import Lab
import LiveView

struct Repl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repl",
        abstract: "Take a lab in the REPL (the default): guided, as an exercise, or as a demo."
    )

    @Argument(help: "The lab to open (default: where you left off, or the first lab).") var lab: String?
    @Flag(help: "Work on the real host instead of a sandbox (for VM lessons and demos).") var host = false
    @Flag(help: .trust) var trust = false
    @Option(help: "guided (BoxLab performs each step), exercise (you do, BoxLab checks) or demo (presenter notes).")
    var mode: Mode = .guided
    @Flag(help: "Start the lab from step 1 even if you had progressed.") var restart = false
    @OptionGroup var view: ViewOptions
    @Option(help: ArgumentHelp("Write each line you enter, with the seconds the prompt waited for it, to FILE: a demo to replay.", valueName: "FILE"))
    var recordDemo: String?
    @Option(help: ArgumentHelp("Type the lines of a recorded demo at the prompt, then go on interactively (or end, when input is not a terminal).", valueName: "FILE"))
    var replayDemo: String?
    @Option(help: ArgumentHelp("With --replay-demo: the recorded waits divided by X; 0 or max does not wait (default 1).", valueName: "X"))
    var speed: DemoSpeed?

    func validate() throws {
        if speed != nil && replayDemo == nil { throw ValidationError("--speed goes with --replay-demo FILE") }
    }

    func run() throws {
        try requireRoot()
        let catalog = LabCatalog.locate()
        let progress = Progress.load(from: .default)
        let name = lab ?? progress.lastLab ?? catalog.ids().first(where: { $0.hasSuffix("overlayfs") }) ?? catalog.ids().first
        guard let name else { throw failure("no labs found in \(catalog.directory): set BOXLAB_LABS to the labs/ folder") }
        // Exercise mode re-checks what earlier steps left standing: known from a reference run.
        if mode == .exercise && !host { ReferenceRun.ensure(name, trust: trust) }
        let recording = recordDemo.map { HandedFile(path: $0, variable: "BOXLAB_DEMO_RECORDING") }
        let replaying = replayDemo.map { HandedFile(path: $0, variable: "BOXLAB_DEMO_REPLAY") }
        try recording?.hand(flags: O_WRONLY | O_CREAT | O_TRUNC)
        try replaying?.hand(flags: O_RDONLY)
        let isolation = try enter(host ? .host : .newSession, view: view.address)
        // At once: the programs the session starts must inherit neither descriptor.
        let recordFile = recording?.take()
        let replayFile = replaying?.take()
        // Loaded where the session works: a sandbox's supervisor never returns from `enter`,
        // and parsing the lab there too would lengthen every start (a bad lab's one-line
        // error then comes from the worker, the same line).
        let lab = try loadLab(name)
        let script = try replaying.map { try readDemo(replayFile, path: $0.path) }
        let run = RunDirectory.default
        // On the host too: `boxlab notes` follows a host-mode presenter as well.
        SessionRecord(lab: lab.id).save(run)
        let live = try view.feed(isolation)
        defer { live?.host?.stop() }
        boxlab_interrupt_install()
        let console = Console.standard()
        let repl = try ReplSession(lab: lab, workbench: Workbench(run: run, isolation: isolation, trust: trust), mode: mode,
                                   console: console, view: live?.feed)
        if let recording, let recordFile { repl.recorder = DemoRecorder(file: recordFile, path: recording.path, console: console) }
        if let script { repl.replay = DemoReplay(script, speed: speed ?? .normal, console: console) }
        repl.start(resume: !restart)
        repl.loop()
    }
}

/// The demo `--replay-demo` names, read through the descriptor handed over, or a one-line error.
private func readDemo(_ descriptor: FileDescriptor?, path: String) throws -> DemoScript {
    guard let descriptor else { throw failure("cannot read \(path): it was not opened before the sandbox", code: 1) }
    defer { descriptor.discard() }
    do {
        let bytes = try Trace.untraced { () throws(KernelError) in try descriptor.readToEnd() }
        return try DemoScript(parsing: String(decoding: bytes, as: UTF8.self), file: path)
    } catch let error as KernelError {
        throw failure("cannot read \(path): \(error.errno)", code: 1)
    } catch {
        throw failure("\(error)")
    }
}

enum Mode: String, ExpressibleByArgument, CaseIterable, Codable {
    case guided, exercise, demo
}

/// `--speed X`: the recorded waits divided by X; `0` or `max` does not wait.
struct DemoSpeed: ExpressibleByArgument {
    let factor: Double

    init?(argument: String) {
        if argument == "max" { factor = 0; return }
        guard let factor = Double(argument), factor.isFinite, factor >= 0 else { return nil }
        self.factor = factor
    }

    static let normal = DemoSpeed(argument: "1")!

    func wait(_ seconds: Double) -> Double { factor == 0 ? 0 : seconds / factor }
}
