import Foundation
import Glibc
import Kernel
import Lab
import LiveView

/// (j) The live view's cost to the session, side by side with the view off: lab 02 performed
/// step by step in this process, in rounds that take turns between the view off, the view on
/// with no page open, and the view on with the page open in headless Chromium; then how long
/// after a step's end the page had drawn it (Chromium's acknowledgement of each update).
struct ViewBench {
    let options: BenchOptions
    let labs: String
    let work: String

    private enum Variant: CaseIterable { case off, unwatched, watched }

    func run() -> Bool {
        let rounds = max(3, options.runs / 3)
        Table.section("The live view (--view): lab 02's steps in-process, \(rounds) rounds taking turns; per step")
        let run = RunDirectory(path: work + "/view")
        var browser: Spawned?
        defer {
            browser?.kill()
            Cleanup.remove(run)
        }
        do {
            let lab = try LabCatalog(directory: labs).load("02-overlayfs")
            try FileManager.default.createDirectory(atPath: run.workspaces, withIntermediateDirectories: true)
            try Mounts.mount(source: "boxlab", target: run.workspaces, fstype: "tmpfs", flags: [.noSuid, .noDev], data: "mode=0755")
            let watched = try ViewHost(listening: ViewAddress(host: "127.0.0.1", port: 0))
            let unwatched = try ViewHost(listening: ViewAddress(host: "127.0.0.1", port: 0))
            defer {
                watched.stop()
                unwatched.stop()
            }
            let watchedFeed = watched.feed(large: false), unwatchedFeed = unwatched.feed(large: false)
            browser = try Spawned.start(ViewBench.chromium(work + "/chromium", url: watched.url), environment: ["HOME=" + work])
            var samples: [Variant: Samples] = [:]
            for round in 0..<rounds {
                // Each round starts with another variant, so none always runs first.
                for offset in 0..<3 {
                    let variant = Variant.allCases[(round + offset) % 3]
                    let session = try Workbench(run: run, isolation: .private).open(lab, console: Console.silent())
                    switch variant {
                    case .off: break
                    case .unwatched: unwatchedFeed.follow(session, mode: "batch")
                    case .watched:
                        watchedFeed.follow(session, mode: "batch")
                        if round == 0 { watchedFeed.waitForViewer() }
                    }
                    for step in lab.steps {
                        let start = Clock.now()
                        let report = session.perform(step)
                        samples[variant, default: Samples()].add(Double(Clock.since(start)))
                        guard report.passed else { throw BenchError("step \(step.number) of \(lab.id) did not pass (\(variant))") }
                    }
                    try session.workbench.wipe(session.workspace.root)
                }
            }
            let off = samples[.off]!, bare = samples[.unwatched]!, open = samples[.watched]!
            Table.row("view off", Table.medianAndP90(off))
            Table.row("view on, no page open", Table.medianAndP90(bare), "\(Table.ratio(bare.median, to: off.median)) off")
            Table.row("view on, the page open in Chromium", Table.medianAndP90(open),
                      "+\(Table.duration(open.median - off.median)) a step (goal: under 5 ms)")
            var latency = Samples()
            usleep(300_000)  // the last update's acknowledgement
            for milliseconds in watched.latencies { latency.add(milliseconds * 1_000_000) }
            guard latency.count > 0 else { throw BenchError("the page acknowledged no update") }
            Table.row("a step's end to the page drawn (\(latency.count) updates)", Table.medianAndP90(latency),
                      "max \(Table.duration(latency.max)) (goal: under 100 ms)")
            return true
        } catch {
            Table.failed("The live view", BenchError(error))
            return false
        }
    }

    /// Headless Chromium on `url`, with a profile of its own under the bench's work folder.
    static func chromium(_ profile: String, url: String) -> [String] {
        ["/usr/bin/chromium", "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-extensions", "--user-data-dir=" + profile, url]
    }
}
