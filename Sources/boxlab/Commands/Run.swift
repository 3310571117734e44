import ArgumentParser
import FoundationEssentials
import Kernel
import Lab
import LiveView

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Perform every step of a lab non-interactively (for CI, graders and transcripts).",
        discussion: "Exits 1 at the first failed command or expectation. With --json, prints the results as JSON."
    )

    @Argument(help: "The lab: its id (02-overlayfs), number (2) or name (overlayfs), or a path to a lab file (PATH.md).") var lab: String
    @Flag(help: "Work on the real host instead of a sandbox.") var host = false
    @Flag(help: .trust) var trust = false
    @Flag(help: "Print machine-readable results instead of the transcript.") var json = false
    @Option(help: "Only these steps, e.g. 3 or 1-4 (earlier steps are still performed, silently).") var steps: StepRange?
    @Flag(help: "Leave the workspace (host mode) for inspection; `boxlab reset` removes it.") var keep = false
    @OptionGroup var view: ViewOptions

    func run() throws {
        try requireRoot()
        let lab = try loadLab(self.lab)
        let isolation = try enter(host ? .host : .newPrivate, view: view.address)
        let console = json ? Console.silent() : Console.standard()
        let batch = try Batch(lab: lab, isolation: isolation, trust: trust, console: console)
        let live = try view.feed(isolation)
        defer { live?.host?.stop() }
        if let live {
            // Shown in the browser, the lab starts once the page is open (a recording, a demo).
            live.feed.follow(batch.session, mode: "batch")
            StandardStream.error.write("view: waiting for the page to be opened\n")
            live.feed.waitForViewer()
        }
        let result = batch.perform(steps: steps)
        if json { printJSON(BatchResult(lab: lab.id, passed: result.passed, steps: result.reports)) }
        if isolation == .host && !keep { batch.cleanUp() }
        if !result.passed { throw ExitCode(1) }
    }
}

/// `--steps 3` or `--steps 2-5`.
struct StepRange: ExpressibleByArgument {
    let range: ClosedRange<Int>

    init?(argument: String) {
        let parts = argument.split(separator: "-").map { Int($0) }
        guard let first = parts.first ?? nil, parts.count <= 2, let last = parts.last ?? nil, first >= 1, first <= last else { return nil }
        range = first...last
    }
}

struct BatchResult: Codable {
    var lab: String
    var passed: Bool
    var steps: [StepReport]
}

func printJSON<T: Encodable>(_ value: T) {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    if let data = try? encoder.encode(value) {
        StandardStream.output.write(String(decoding: data, as: UTF8.self) + "\n")
    }
}
