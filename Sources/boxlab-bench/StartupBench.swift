import Foundation

/// (a) How long the REPL takes from being started to showing its prompt, in its sandbox and
/// with --host, next to floors: boxlab doing nothing but start (`--help`), a program that
/// makes the same namespaces and exits (util-linux `unshare … true`), and `/bin/true`.
struct StartupBench {
    let options: BenchOptions
    let labs: String
    let work: String

    static let prompt = "02-overlayfs 1/8> "

    private var sandboxPlace: Place { Place(base: work + "/repl-sandbox") }
    private var hostPlace: Place { Place(base: work + "/repl-host") }

    /// Prints its rows; false when a measurement failed.
    func run() -> Bool {
        let unshare = [which("unshare") ?? "/usr/bin/unshare", "--mount", "--net", "--uts", "--ipc", "true"]
        let names = (sandbox: "REPL start to prompt, sandbox", host: "REPL start to prompt, --host",
                     help: "boxlab --help (Swift start only)", unshare: "unshare -m -n -u -i true", truth: "/bin/true")
        let results = Interleaved(variants: [
            .init(name: names.sandbox) { try repl(host: false) },
            .init(name: names.host) { try repl(host: true) },
            .init(name: names.help) { try toExit([options.boxlab, "--help"]) },
            .init(name: names.unshare) { try toExit(unshare) },
            .init(name: names.truth) { try toExit(["/bin/true"]) },
        ]).run(rounds: options.runs)
        reset(hostPlace)
        reset(sandboxPlace)

        Table.section("Start (spawn until the prompt is read; floors: spawn until reaped)")
        var ok = true
        let floor = try? results[names.unshare]?.get()
        let truth = try? results[names.truth]?.get()
        for (name, base, baseName) in [(names.sandbox, floor, "unshare+true"), (names.host, floor, "unshare+true"),
                                       (names.help, floor, "unshare+true"), (names.unshare, truth, "/bin/true"),
                                       (names.truth, nil, "")] {
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
        return ok
    }

    /// From spawning the REPL until its first prompt has been read; then stdin is closed
    /// (Ctrl-D) and the REPL reaped, after it has torn its sandbox down (not timed).
    private func repl(host: Bool) throws -> Double {
        let place = host ? hostPlace : sandboxPlace
        let arguments = [options.boxlab, "02-overlayfs", "--restart"] + (host ? ["--host"] : [])
        let start = Clock.now()
        let child = try Spawned.start(arguments, environment: place.environment(labs: labs))
        do {
            try child.read(until: StartupBench.prompt, deadline: start + options.timeout)
            let elapsed = Clock.since(start)
            let exit = try child.finish(deadline: Clock.now() + options.timeout)
            guard exit.succeeded else { throw BenchError("\(child.command) ended with \(exit): \(child.tail)") }
            return Double(elapsed)
        } catch {
            reset(place)  // a killed REPL leaves its sandbox's mounts and run directory
            throw error
        }
    }

    /// From spawning a program until it has been reaped.
    private func toExit(_ arguments: [String]) throws -> Double {
        let start = Clock.now()
        let child = try Spawned.start(arguments, environment: sandboxPlace.environment(labs: labs))
        let exit = try child.finish(deadline: start + options.timeout)
        let elapsed = Clock.since(start)
        guard exit.succeeded else { throw BenchError("\(child.command) ended with \(exit): \(child.tail)") }
        return Double(elapsed)
    }

    /// `boxlab reset` for a place: whatever a killed or --host REPL left there goes.
    func reset(_ place: Place) {
        Cleanup.reset(place, boxlab: options.boxlab, labs: labs, timeout: options.timeout)
    }
}

/// The full path of a program on PATH.
func which(_ name: String) -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
}
