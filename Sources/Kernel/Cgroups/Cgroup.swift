#if canImport(Glibc)
import Glibc
#endif

/// One control group across the hierarchies that serve its controllers: on v2 one directory,
/// on v1 a directory per hierarchy (`memory/…/demo`, `pids/…/demo`). Limits, freezing and
/// counters are one model here; which files carry them depends on each controller's version.
public struct Cgroup: Sendable, Equatable {
    public struct Place: Sendable, Equatable {
        public var version: CgroupVersion
        public var directory: String

        public init(version: CgroupVersion, directory: String) {
            self.version = version
            self.directory = directory
        }
    }

    public let places: [CgroupController: Place]

    public init(places: [CgroupController: Place]) {
        self.places = places
    }

    /// The group `relative` (`demo`, `demo/inner`) below this one.
    public func child(_ relative: String) -> Cgroup {
        let tail = relative.split(separator: "/").joined(separator: "/")
        if tail.isEmpty { return self }
        return Cgroup(places: places.mapValues { Place(version: $0.version, directory: $0.directory + "/" + tail) })
    }

    /// Every directory of the group once (comounted v1 controllers share one), sorted.
    public var directories: [String] { Array(Set(places.values.map(\.directory))).sorted() }

    /// The controllers' directories, for the lab's `$memory`, `$pids`, `$cpu`, `$freezer`.
    public var directoryByController: [CgroupController: String] { places.mapValues(\.directory) }

    public var exists: Bool { directories.allSatisfy { (try? FileSystem.stat($0))?.type == .directory } }

    func place(_ controller: CgroupController) throws -> Place {
        guard let place = places[controller] else {
            throw CgroupError("this lab's cgroups have no \(controller.rawValue) controller: the machine mounts no hierarchy with it, or the lab's group does not enable it")
        }
        return place
    }

    // MARK: Processes

    /// Moves `pid` (with all its threads) into the group, in every hierarchy.
    ///
    /// The corresponding C functions are `open`, `write` and `close` on cgroup.procs.
    public func move(_ pid: Int32) throws(KernelError) {
        for directory in directories { try Self.write(directory + "/cgroup.procs", String(pid)) }
    }

    /// The processes in the group itself (not below it), from every hierarchy's cgroup.procs.
    public func processes() throws(KernelError) -> [Int32] {
        var pids = Set<Int32>()
        for directory in directories { pids.formUnion(try Self.processes(in: directory)) }
        return pids.sorted()
    }

    static func processes(in directory: String) throws(KernelError) -> [Int32] {
        try read(directory + "/cgroup.procs").split(whereSeparator: \.isWhitespace).compactMap { Int32($0) }
    }

    // MARK: Files

    /// A cgroup file's text without the trailing newline.
    static func read(_ path: String) throws(KernelError) -> String {
        String(decoding: try FileSystem.readFile(path), as: UTF8.self).trimmingWhitespaceAndNewlines()
    }

    /// cgroup files take one value per write(2).
    static func write(_ path: String, _ value: String) throws(KernelError) {
        try FileSystem.writeFile(path, Array(value.utf8))
    }

    static func exists(_ path: String) -> Bool { (try? FileSystem.stat(path)) != nil }

    /// The value of `key` in a flat-keyed file (`oom_kill 2`), nil when the key is absent.
    static func keyed(_ text: String, _ key: String) -> UInt64? {
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            if fields.count == 2, fields[0] == key { return UInt64(fields[1]) }
        }
        return nil
    }
}

/// A value read from the kernel and the files it was read from, so the learner can be shown
/// the names this machine uses.
public struct CgroupReading<Value: Sendable & Equatable>: Sendable, Equatable {
    public var value: Value
    /// Absolute paths: one file usually, two for v1's cpu quota and period.
    public var files: [String]
    /// What the files read, as the kernel wrote it (`33554432`, `max 100000`).
    public var text: String

    public init(value: Value, files: [String], text: String) {
        self.value = value
        self.files = files
        self.text = text
    }

    /// `memory.limit_in_bytes`, or `cpu.cfs_quota_us + cpu.cfs_period_us`.
    public var fileNames: String {
        files.map { String($0.split(separator: "/").last ?? "") }.joined(separator: " + ")
    }
}
