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

    func run() throws {
        try requireRoot()
        let catalog = LabCatalog.locate()
        let progress = Progress.load(from: .default)
        let name = lab ?? progress.lastLab ?? catalog.ids().first(where: { $0.hasSuffix("overlayfs") }) ?? catalog.ids().first
        guard let name else { throw failure("no labs found in \(catalog.directory): set BOXLAB_LABS to the labs/ folder") }
        // Exercise mode re-checks what earlier steps left standing: known from a reference run.
        if mode == .exercise && !host { ReferenceRun.ensure(name, trust: trust) }
        let isolation = try enter(host ? .host : .newSession, view: view.address)
        // Loaded where the session works: a sandbox's supervisor never returns from `enter`,
        // and parsing the lab there too would lengthen every start (a bad lab's one-line
        // error then comes from the worker, the same line).
        let lab = try loadLab(name)
        let run = RunDirectory.default
        if isolation != .host {
            SessionRecord(lab: lab.id).save(run)
        }
        let live = try view.feed(isolation)
        defer { live?.host?.stop() }
        boxlab_interrupt_install()
        let repl = try ReplSession(lab: lab, workbench: Workbench(run: run, isolation: isolation, trust: trust), mode: mode,
                                   console: Console.standard(), view: live?.feed)
        repl.start(resume: !restart)
        repl.loop()
    }
}

enum Mode: String, ExpressibleByArgument, CaseIterable, Codable {
    case guided, exercise, demo
}
