import Foundation

/// (c) Peak memory: ru_maxrss from wait4(2) on the process boxlab was started as. For a
/// sandboxed run that is the supervisor, and the kernel reports the larger of its own peak
/// and that of the worker it waited for. The two are alive at once, so while the REPL is at
/// its prompt both are also read in /proc. Most of each RSS is the same pages of the Swift
/// runtime and Foundation libraries, so what they hold together is the worker's RSS plus
/// the supervisor's private pages (smaps_rollup Private_Clean + Private_Dirty).
///
/// boxlab is started by GNU time (`time -f %M`), which reports the wait4 of its child. Were
/// it started by this process, its ru_maxrss could not go below ours: exec(2) folds the
/// peak of the memory the process had before into it, and a posix_spawn child has ours.
struct MemoryBench {
    let options: BenchOptions
    let labs: String
    let work: String
    static let aimKiB = 50.0 * 1024

    private var replPlace: Place { Place(base: work + "/memory-repl") }
    private var batchPlace: Place { Place(base: work + "/memory-batch") }
    private var hostPlace: Place { Place(base: work + "/memory-host") }

    /// The REPL's processes at step 2, one sample per round (KiB).
    private final class Residents {
        var supervisorRSS = Samples()
        var supervisorPrivate = Samples()
        var workerRSS = Samples()
        var together = Samples()

        /// Reads the REPL's processes: `time` (the pid given) → supervisor → worker.
        func sample(below time: Int32) {
            let supervisors = children(of: time)
            let workers = supervisors.flatMap(children(of:))
            func sum(_ pids: [Int32], _ file: String, _ keys: String...) -> Double {
                pids.flatMap { pid in keys.map { kibibytes("/proc/\(pid)/\(file)", $0) } }.reduce(0, +)
            }
            let supervisorPrivate = sum(supervisors, "smaps_rollup", "Private_Clean:", "Private_Dirty:")
            let workerRSS = sum(workers, "status", "VmRSS:")
            supervisorRSS.add(sum(supervisors, "status", "VmRSS:"))
            self.supervisorPrivate.add(supervisorPrivate)
            self.workerRSS.add(workerRSS)
            together.add(workerRSS + supervisorPrivate)
        }
    }

    /// Prints its rows; false when a measurement failed.
    func run() -> Bool {
        let residents = Residents()
        let names = (repl: "REPL, sandbox (start, next, Ctrl-D)", batch: "boxlab run 02-overlayfs",
                     host: "boxlab run 02-overlayfs --host", help: "boxlab --help (Swift runtime floor)")
        let results = Interleaved(variants: [
            .init(name: names.repl) { try repl(residents) },
            .init(name: names.batch) { try toExit([options.boxlab, "run", "02-overlayfs"], batchPlace) },
            .init(name: names.host) { try toExit([options.boxlab, "run", "02-overlayfs", "--host"], hostPlace) },
            .init(name: names.help) { try toExit([options.boxlab, "--help"], hostPlace) },
        ]).run(rounds: options.memoryRuns)
        for place in [replPlace, batchPlace, hostPlace] {
            Cleanup.reset(place, boxlab: options.boxlab, labs: labs, timeout: options.timeout)
        }

        Table.section("Peak memory (max RSS from wait4 by GNU time, \(options.memoryRuns) runs interleaved; median / max)")
        var ok = true
        for name in [names.repl, names.batch, names.host, names.help] {
            switch results[name] {
            case .success(let samples)?:
                let verdict = name == names.help ? "" : "under 50 MiB: \(samples.max < MemoryBench.aimKiB ? "yes" : "no")"
                Table.row(name, "\(Table.mebibytes(samples.median)) / \(Table.mebibytes(samples.max))", verdict)
                if name == names.repl, residents.together.count > 0 {
                    Table.row("  at step 2, supervisor and worker", Table.mebibytes(residents.together.median),
                              "together: worker RSS \(Table.mebibytes(residents.workerRSS.median)) + supervisor's private "
                                  + "\(Table.mebibytes(residents.supervisorPrivate.median)) (its RSS \(Table.mebibytes(residents.supervisorRSS.median)) is mostly the same library pages)")
                }
            case .failure(let error)?:
                Table.failed(name, error)
                ok = false
            case nil: break
            }
        }
        return ok
    }

    /// The REPL started, step 1 performed with `next`, then Ctrl-D (stdin closed).
    private func repl(_ residents: Residents) throws -> Double {
        let start = Clock.now()
        let report = work + "/maxrss"
        let child = try Spawned.start(measured([options.boxlab, "02-overlayfs", "--restart"], report: report),
                                      environment: replPlace.environment(labs: labs))
        do {
            try child.read(until: StartupBench.prompt, deadline: start + options.timeout)
            child.send("next\n")
            try child.read(until: "02-overlayfs 2/8> ", deadline: Clock.now() + options.timeout)
            residents.sample(below: child.pid)
            let exit = try child.finish(deadline: Clock.now() + options.timeout)
            guard exit.succeeded else { throw BenchError("\(child.command) ended with \(exit): \(child.tail)") }
            return try maxResident(report)
        } catch {
            Cleanup.reset(replPlace, boxlab: options.boxlab, labs: labs, timeout: options.timeout)
            throw error
        }
    }

    private func toExit(_ arguments: [String], _ place: Place) throws -> Double {
        let report = work + "/maxrss"
        let child = try Spawned.start(measured(arguments, report: report), environment: place.environment(labs: labs))
        let exit = try child.finish(deadline: Clock.now() + options.timeout)
        guard exit.succeeded else { throw BenchError("\(child.command) ended with \(exit): \(child.tail)") }
        return try maxResident(report)
    }

    /// `arguments` run by GNU time, which writes the child's ru_maxrss (KiB) to `report`.
    private func measured(_ arguments: [String], report: String) -> [String] {
        [MemoryBench.time, "-f", "%M", "-o", report, "--"] + arguments
    }

    static let time = "/usr/bin/time"

    private func maxResident(_ report: String) throws -> Double {
        let text = (try? String(contentsOfFile: report, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(atPath: report)
        guard let last = text.split(separator: "\n").last, let kibibytes = Double(last) else {
            throw BenchError("\(MemoryBench.time) -o \(report) wrote \(quote(text)), not a size")
        }
        return kibibytes
    }
}

/// A "Key:   1234 kB" field of a /proc file, in KiB (0 when the process has gone).
func kibibytes(_ path: String, _ key: String) -> Double {
    Machine.field(path, key).flatMap { Double($0.split(separator: " ").first ?? "") } ?? 0
}

/// The children of a live process (/proc/PID/task/PID/children).
func children(of pid: Int32) -> [Int32] {
    let text = (try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8)) ?? ""
    return text.split(separator: " ").compactMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
}
