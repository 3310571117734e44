extension Cgroup {
    /// Memory in use by the group and below it, bytes: v2 memory.current, v1 memory.usage_in_bytes.
    public func memoryUsage() throws -> CgroupReading<UInt64> {
        let place = try place(.memory)
        let file = place.directory + (place.version == .v2 ? "/memory.current" : "/memory.usage_in_bytes")
        let text = try Self.read(file)
        return CgroupReading(value: UInt64(text) ?? 0, files: [file], text: text)
    }

    /// Processes (tasks, on v1 too) in the group and below it: pids.current on both versions.
    public func processCount() throws -> CgroupReading<UInt64> {
        let file = try place(.pids).directory + "/pids.current"
        let text = try Self.read(file)
        return CgroupReading(value: UInt64(text) ?? 0, files: [file], text: text)
    }

    /// The groups below this one by their path from it (`demo`, `demo/inner`), parents before
    /// their children (each right after its parent), from every hierarchy (on v1 a lab may
    /// make a group in one only).
    public func descendants() -> [String] {
        var found = Set<String>()
        for directory in directories {
            for path in (try? Self.subtree(directory)) ?? [] where path.count > directory.count {
                found.insert(String(path.dropFirst(directory.count + 1)))
            }
        }
        return found.sorted { $0.split(separator: "/").lexicographicallyPrecedes($1.split(separator: "/")) }
    }
}
