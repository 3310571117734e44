import Foundation

/// The command line: `boxlab-bench --boxlab PATH [--runs N] [--iterations N]
/// [--memory-runs N] [--timeout SECONDS] [--labs DIR] [--work DIR] [--only start|evaluate|memory|wiring|launch|container|nat|dns|flannel|view]
/// [--against PATH [--against-labs DIR]] [--resolver PATH] [--flannel PATH]`.
struct BenchOptions {
    /// The boxlab binary whose REPL and batch runs are measured.
    var boxlab = ""
    /// The embedded DNS resolver the dns section measures (default: boxlab-resolver beside boxlab).
    var resolver = ""
    /// The flannel agent the flannel section runs on every host (default: boxlab-flannel beside boxlab).
    var flannel = ""
    /// Interleaved rounds of the process measurements.
    var runs = 30
    /// Interleaved iterations of the in-process evaluation measurements.
    var iterations = 2000
    /// Interleaved rounds of the peak-memory measurements.
    var memoryRuns = 5
    /// How long a child may take to prompt or to end before it is killed (nanoseconds).
    var timeout: UInt64 = 10_000_000_000
    var labs: String?
    /// Another boxlab binary (an older build) whose REPL start is timed in the same rounds,
    /// and the labs it reads (its own checkout's: the lab language changes between versions).
    var against: String?
    var againstLabs: String?
    /// Where the children's run and state directories go (default: a new directory in /tmp).
    var work: String?
    /// Only these sections (start, evaluate, memory, wiring, launch, container, nat, dns, flannel, view), e.g. to profile one with perf.
    var sections: Set<String> = BenchOptions.allSections

    static let allSections: Set<String> = ["start", "evaluate", "memory", "wiring", "launch", "container", "nat", "dns", "flannel", "view"]

    static let usage = "usage: boxlab-bench --boxlab PATH [--runs N] [--iterations N] [--memory-runs N] [--timeout SECONDS] [--labs DIR] [--work DIR] [--only start|evaluate|memory|wiring|launch|container|nat|dns|flannel|view] [--against PATH [--against-labs DIR]] [--resolver PATH] [--flannel PATH]"

    static func parse(_ arguments: [String]) throws(BenchError) -> BenchOptions {
        var options = BenchOptions()
        var rest = arguments[...]
        func value(_ flag: String) throws(BenchError) -> String {
            guard let value = rest.popFirst() else { throw BenchError("\(flag) needs a value\n\(usage)") }
            return value
        }
        func count(_ flag: String) throws(BenchError) -> Int {
            let text = try value(flag)
            guard let number = Int(text), number > 0 else { throw BenchError("\(flag) takes a positive whole number, not \(text)") }
            return number
        }
        while let flag = rest.popFirst() {
            switch flag {
            case "--boxlab": options.boxlab = try value(flag)
            case "--runs": options.runs = try count(flag)
            case "--iterations": options.iterations = try count(flag)
            case "--memory-runs": options.memoryRuns = try count(flag)
            case "--timeout": options.timeout = UInt64(try count(flag)) * 1_000_000_000
            case "--resolver": options.resolver = try value(flag)
            case "--flannel": options.flannel = try value(flag)
            case "--labs": options.labs = try value(flag)
            case "--work": options.work = try value(flag)
            case "--against": options.against = try value(flag)
            case "--against-labs": options.againstLabs = try value(flag)
            case "--only":
                let section = try value(flag)
                guard allSections.contains(section) else { throw BenchError("--only takes start, evaluate, memory, wiring, launch, container, nat, dns, flannel or view, not \(section)") }
                options.sections = options.sections == allSections ? [section] : options.sections.union([section])
            case "-h", "--help": throw BenchError(usage)
            default: throw BenchError("unknown argument \(flag)\n\(usage)")
            }
        }
        guard !options.boxlab.isEmpty else { throw BenchError("--boxlab is required\n\(usage)") }
        options.boxlab = URL(fileURLWithPath: options.boxlab).standardizedFileURL.path
        guard FileManager.default.isExecutableFile(atPath: options.boxlab) else {
            throw BenchError("\(options.boxlab) is not an executable: build it first (scripts/bench does)")
        }
        // BoxLab's own programs, beside boxlab unless given; each checked only when its section runs.
        for (section, flag, program, path) in [("dns", "--resolver", "boxlab-resolver", \BenchOptions.resolver), ("flannel", "--flannel", "boxlab-flannel", \BenchOptions.flannel)] {
            options[keyPath: path] = options[keyPath: path].isEmpty
                ? URL(fileURLWithPath: options.boxlab).deletingLastPathComponent().appendingPathComponent(program).path
                : URL(fileURLWithPath: options[keyPath: path]).standardizedFileURL.path
            if options.sections.contains(section), !FileManager.default.isExecutableFile(atPath: options[keyPath: path]) {
                throw BenchError("\(options[keyPath: path]) is not an executable: build it (scripts/build-release \(program)) or give \(flag) PATH")
            }
        }
        if let against = options.against {
            let path = URL(fileURLWithPath: against).standardizedFileURL.path
            guard FileManager.default.isExecutableFile(atPath: path) else {
                throw BenchError("--against \(against) is not an executable: build the other boxlab first (scripts/build-release --scratch-path DIR boxlab in its checkout)")
            }
            options.against = path
        } else if options.againstLabs != nil {
            throw BenchError("--against-labs needs --against\n\(usage)")
        }
        return options
    }
}
