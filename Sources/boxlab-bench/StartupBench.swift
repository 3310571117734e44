import Foundation

/// (a) How long the REPL takes from being started to showing its prompt, in its sandbox and
/// with --host, next to floors: boxlab doing nothing but start (`--help`), a program that
/// makes the same namespaces and exits (util-linux `unshare … true`), and `/bin/true`.
struct StartupBench {
    let options: BenchOptions
    let labs: String
    let work: String

    static let prompt = "02-overlayfs 1/8> "

    /// A boxlab binary with the labs it reads, started in places of its own.
    private struct Subject {
        let boxlab: String
        let labs: String
        let sandbox: Place
        let host: Place
        /// Appended to its rows' names: empty for the boxlab measured, " (against)" for the other.
        let tag: String
    }

    private var measured: Subject {
        Subject(boxlab: options.boxlab, labs: labs, sandbox: Place(base: work + "/repl-sandbox"), host: Place(base: work + "/repl-host"), tag: "")
    }

    /// `--against`: another boxlab (an older build), its REPL timed in the same rounds.
    private var against: Subject? {
        options.against.map {
            Subject(boxlab: $0, labs: options.againstLabs ?? labs, sandbox: Place(base: work + "/repl-sandbox-against"),
                    host: Place(base: work + "/repl-host-against"), tag: " (against)")
        }
    }

    /// Prints its rows; false when a measurement failed.
    func run() -> Bool {
        let unshare = [which("unshare") ?? "/usr/bin/unshare", "--mount", "--net", "--uts", "--ipc", "true"]
        let names = (sandbox: "REPL start to prompt, sandbox", host: "REPL start to prompt, --host",
                     help: "boxlab --help (Swift start only)", unshare: "unshare -m -n -u -i true", truth: "/bin/true")
        let subjects = [measured] + (against.map { [$0] } ?? [])
        let repls = subjects.flatMap { subject in
            [Interleaved.Variant(name: names.sandbox + subject.tag) { try repl(subject, host: false) },
             Interleaved.Variant(name: names.host + subject.tag) { try repl(subject, host: true) }]
        }
        let results = Interleaved(variants: repls + [
            .init(name: names.help) { try toExit([options.boxlab, "--help"]) },
            .init(name: names.unshare) { try toExit(unshare) },
            .init(name: names.truth) { try toExit(["/bin/true"]) },
        ]).run(rounds: options.runs)
        for subject in subjects {
            reset(subject.host, subject)
            reset(subject.sandbox, subject)
        }

        Table.section("Start (spawn until the prompt is read; floors: spawn until reaped)")
        var ok = true
        let floor = try? results[names.unshare]?.get()
        let truth = try? results[names.truth]?.get()
        let replRows = subjects.flatMap { [(names.sandbox + $0.tag, floor, "unshare+true"), (names.host + $0.tag, floor, "unshare+true")] }
        for (name, base, baseName) in replRows + [(names.help, floor, "unshare+true"), (names.unshare, truth, "/bin/true"), (names.truth, nil, "")] {
            switch results[name] {
            case .success(let samples)?:
                let note = base.map { "\(Table.ratio(samples.median, to: $0.median)) \(baseName) (\(Table.duration($0.median)))" } ?? ""
                Table.row(name, Table.medianAndP90(samples), note)
            case .failure(let error)?:
                Table.failed(name, error)
                ok = false
            case nil: break
            }
        }
        guard let other = against else { return ok }
        // What the sandbox itself costs each binary: its REPL's start minus the same REPL's
        // start with --host (the Swift starts, lab parsing and the run directory cancel out).
        func sandboxCost(_ subject: Subject) -> Double? {
            guard let sandbox = try? results[names.sandbox + subject.tag]?.get(), let host = try? results[names.host + subject.tag]?.get() else { return nil }
            return sandbox.median - host.median
        }
        guard let cost = sandboxCost(measured), let otherCost = sandboxCost(other) else { return ok }
        Table.section("The sandbox's own cost (sandbox minus --host, medians), against \(other.boxlab)")
        Table.row("this boxlab", Table.duration(cost))
        Table.row("against", Table.duration(otherCost))
        Table.row("difference", (cost >= otherCost ? "+" : "-") + Table.duration(abs(cost - otherCost)))
        return ok
    }

    /// From spawning the REPL until its first prompt has been read; then stdin is closed
    /// (Ctrl-D) and the REPL reaped, after it has torn its sandbox down (not timed).
    private func repl(_ subject: Subject, host: Bool) throws -> Double {
        let place = host ? subject.host : subject.sandbox
        let arguments = [subject.boxlab, "02-overlayfs", "--restart"] + (host ? ["--host"] : [])
        let start = Clock.now()
        let child = try Spawned.start(arguments, environment: place.environment(labs: subject.labs))
        do {
            try child.read(until: StartupBench.prompt, deadline: start + options.timeout)
            let elapsed = Clock.since(start)
            let exit = try child.finish(deadline: Clock.now() + options.timeout)
            guard exit.succeeded else { throw BenchError("\(child.command) ended with \(exit): \(child.tail)") }
            return Double(elapsed)
        } catch {
            reset(place, subject)  // a killed REPL leaves its sandbox's mounts and run directory
            throw error
        }
    }

    /// From spawning a program until it has been reaped.
    private func toExit(_ arguments: [String]) throws -> Double {
        let start = Clock.now()
        let child = try Spawned.start(arguments, environment: measured.sandbox.environment(labs: labs))
        let exit = try child.finish(deadline: start + options.timeout)
        let elapsed = Clock.since(start)
        guard exit.succeeded else { throw BenchError("\(child.command) ended with \(exit): \(child.tail)") }
        return Double(elapsed)
    }

    /// `boxlab reset` for a place, by the boxlab that used it: whatever a killed or --host
    /// REPL left there goes.
    private func reset(_ place: Place, _ subject: Subject) {
        Cleanup.reset(place, boxlab: subject.boxlab, labs: subject.labs, timeout: options.timeout)
    }
}

/// The full path of a program on PATH.
func which(_ name: String) -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
}
