extension Cgroup {
    /// A counter of a flat-keyed file by the kernel's names (`memory.events oom_kill`,
    /// `pids.events max`, `cpu.stat nr_throttled`), read from the file that holds it for the
    /// controller's version here: `memory.events oom_kill` is `memory.oom_control oom_kill` on
    /// v1, and v1's `throttled_time` (ns) is given as `throttled_usec`. Names of either version
    /// are accepted. nil when the file has no such key.
    public func counter(_ file: String, _ key: String) throws -> CgroupReading<UInt64>? {
        guard let controller = CgroupFileNames.controller(of: file) else {
            throw CgroupError("\(file) belongs to no controller BoxLab knows (memory.events, pids.events, cpu.stat and their v1 names)")
        }
        let place = try place(controller)
        let counter = CgroupFileNames.counter(file, key, on: place.version)
        let path = place.directory + "/" + counter.file
        let text = try Self.read(path)
        guard let raw = counter.key.map({ Self.keyed(text, $0) }) ?? UInt64(text) else { return nil }
        let shown = counter.key.map { "\($0) \(raw)" } ?? String(raw)
        return CgroupReading(value: raw / counter.divisor, files: [path], text: shown)
    }

    /// OOM kills in the group: v2 memory.events, v1 memory.oom_control.
    public func oomKills() throws -> CgroupReading<UInt64>? { try counter("memory.events", "oom_kill") }

    /// Forks refused because pids.max was reached (pids.events on both versions).
    public func processLimitHits() throws -> CgroupReading<UInt64>? { try counter("pids.events", "max") }

    /// Periods in which the group was throttled (cpu.stat on both versions).
    public func throttledPeriods() throws -> CgroupReading<UInt64>? { try counter("cpu.stat", "nr_throttled") }

    /// Time the group spent throttled, µs: v2 throttled_usec, v1 throttled_time in ns.
    public func throttledMicroseconds() throws -> CgroupReading<UInt64>? { try counter("cpu.stat", "throttled_usec") }
}
