/// The files that mean the same thing in the two versions, and the one line that tells a
/// learner who used the other version's name what it is called here.
public enum CgroupFileNames {
    public struct Equivalent: Sendable, Equatable {
        public var v2: String
        /// Empty when v1 has nothing like it.
        public var v1: [String]
        /// What differs beyond the name.
        public var note: String?
    }

    public static let table: [Equivalent] = [
        Equivalent(v2: "memory.max", v1: ["memory.limit_in_bytes"]),
        Equivalent(v2: "memory.current", v1: ["memory.usage_in_bytes"]),
        Equivalent(v2: "memory.peak", v1: ["memory.max_usage_in_bytes"]),
        Equivalent(v2: "memory.swap.max", v1: ["memory.memsw.limit_in_bytes"],
                   note: "memsw limits memory plus swap, so it is set to the memory limit, not to 0"),
        Equivalent(v2: "memory.events", v1: ["memory.oom_control", "memory.failcnt"],
                   note: "oom_kill is in memory.oom_control; memory.failcnt counts hits of the limit"),
        Equivalent(v2: "cpu.max", v1: ["cpu.cfs_quota_us", "cpu.cfs_period_us"],
                   note: "v2 writes \"QUOTA PERIOD\" to one file, v1 each to its own"),
        Equivalent(v2: "cpu.weight", v1: ["cpu.shares"], note: "weight 100 is shares 1024"),
        Equivalent(v2: "cgroup.freeze", v1: ["freezer.state"], note: "v2 takes 1 or 0, v1 FROZEN or THAWED"),
        Equivalent(v2: "cgroup.threads", v1: ["tasks"]),
        Equivalent(v2: "cgroup.subtree_control", v1: [],
                   note: "v1 gives every group all the controllers of its hierarchy; there is nothing to enable"),
    ]

    /// The version a file name belongs to, when only one version has it (pids.max is in both).
    public static func version(of name: String) -> CgroupVersion? {
        if table.contains(where: { $0.v2 == name }) { return .v2 }
        if table.contains(where: { $0.v1.contains(name) }) { return .v1 }
        return nil
    }

    /// The controller whose hierarchy holds a file: `memory.max` → memory, `cgroup.freeze` →
    /// freezer; nil for core files every hierarchy has (cgroup.procs, tasks).
    public static func controller(of name: String) -> CgroupController? {
        if name == "cgroup.freeze" || name == "cgroup.events" { return .freezer }
        guard let prefix = name.split(separator: ".").first else { return nil }
        return CgroupController(rawValue: String(prefix))
    }

    /// The other version's names for `name`: `memory.max` → `memory.limit_in_bytes`.
    public static func equivalent(of name: String) -> Equivalent? {
        table.first { $0.v2 == name || $0.v1.contains(name) }
    }

    /// Why `path`, a file under a cgroup mount, is not there: it is named for the other
    /// version, or lies in another controller's hierarchy. nil when neither is the case.
    public static func explanation(for path: String, in layout: CgroupLayout) -> String? {
        guard let here = layout.hierarchy(containing: path), let name = path.split(separator: "/").last.map(String.init) else { return nil }
        let controller = controller(of: name)
        let serving = controller.flatMap { layout.hierarchy(for: $0) }
        let subject = controller?.rawValue ?? "this hierarchy"
        // A name of v2 in a v1 hierarchy, or of v1 in cgroup2.
        if let version = version(of: name), let equivalent = equivalent(of: name) {
            let used = serving?.version ?? here.version
            guard version != used else {
                guard let serving, serving.mountPoint != here.mountPoint else { return nil }
                return "\(name) is in the \(subject) hierarchy at \(serving.mountPoint), not in \(here.mountPoint)"
            }
            let names = used == .v1 ? equivalent.v1 : [equivalent.v2]
            let elsewhere = serving.map { $0.mountPoint != here.mountPoint } ?? false
            let place = elsewhere ? ", at \(serving!.mountPoint)" : ""
            guard !names.isEmpty else {
                return "this machine uses cgroup v1 for \(subject)\(place): \(name) is v2 only; \(equivalent.note ?? "")"
            }
            return "this machine uses cgroup \(used.rawValue) for \(subject)\(place): \(name) is \(names.joined(separator: " + ")) \(elsewhere ? "there" : "here")"
                + (equivalent.note.map { " (\($0))" } ?? "")
        }
        // The right name in another controller's hierarchy (memory.max under v1 pids/).
        if let serving, serving.mountPoint != here.mountPoint {
            return "\(name) is in the \(subject) hierarchy at \(serving.mountPoint) (cgroup \(serving.version.rawValue)), not in \(here.mountPoint)"
        }
        return nil
    }

    /// What a cgroup file accepts, for a write the kernel refused with EINVAL.
    public static func acceptedForm(of name: String) -> String? {
        switch name {
        case "memory.max", "memory.high", "memory.low", "memory.min", "memory.swap.max":
            "\(name) takes bytes, with K, M or G (32M), or max"
        case "memory.limit_in_bytes", "memory.memsw.limit_in_bytes", "memory.soft_limit_in_bytes":
            "\(name) takes bytes, with K, M or G (32M), or -1 for no limit; memory.memsw.limit_in_bytes may not be below memory.limit_in_bytes"
        case "pids.max": "pids.max takes a whole number of processes, or max"
        case "cpu.max": "cpu.max takes \"QUOTA PERIOD\" in µs (50000 100000), or \"max 100000\""
        case "cpu.cfs_quota_us": "cpu.cfs_quota_us takes µs per period, at least 1000, or -1 for no limit"
        case "cpu.cfs_period_us": "cpu.cfs_period_us takes µs, from 1000 to 1000000"
        case "cpu.weight": "cpu.weight takes 1 to 10000 (100 is the default)"
        case "cpu.shares": "cpu.shares takes 2 or more (1024 is the default)"
        case "cgroup.freeze": "cgroup.freeze takes 1 (freeze) or 0 (thaw)"
        case "freezer.state": "freezer.state takes FROZEN or THAWED"
        case "cgroup.procs", "cgroup.threads", "tasks": "\(name) takes one pid per write, of a process that exists"
        case "cgroup.subtree_control": "cgroup.subtree_control takes +CONTROLLER or -CONTROLLER, for controllers listed in cgroup.controllers"
        default: nil
        }
    }

    /// What a counter is called on `version`: v2's `memory.events oom_kill` is v1's
    /// `memory.oom_control oom_kill`; v1's `throttled_time` is in ns where v2's
    /// `throttled_usec` is in µs (`divisor` turns the value read into the one asked for).
    static func counter(_ file: String, _ key: String, on version: CgroupVersion) -> (file: String, key: String?, divisor: UInt64) {
        switch (version, file, key) {
        case (.v1, "memory.events", "oom_kill"): ("memory.oom_control", "oom_kill", 1)
        case (.v1, "memory.events", "max"): ("memory.failcnt", nil, 1)
        case (.v1, "cpu.stat", "throttled_usec"): ("cpu.stat", "throttled_time", 1000)
        case (.v2, "memory.oom_control", "oom_kill"): ("memory.events", "oom_kill", 1)
        default: (file, key, 1)
        }
    }
}
