/// The cgroup a lab's groups live in: `boxlab-<hash of the run directory>-<lab>` below this
/// process's own cgroup in each hierarchy that serves the lab's controllers (one directory on
/// v2). The name depends only on the run directory and the lab, so a separate `boxlab check`
/// finds the same groups.
public struct CgroupRoot: Sendable, Equatable {
    public let name: String
    public let group: Cgroup
    /// For each directory of the group, the cgroup it was made in.
    let parents: [String: String]

    /// The controllers' directories, offered to learners as `$memory`, `$pids`, `$cpu`, `$freezer`.
    public var directories: [CgroupController: String] { group.directoryByController }

    /// `boxlab-1f2e3d4c-cgroups`: a short FNV-1a hash of the run directory's path, which is
    /// stable across processes where Swift's `Hasher` is not.
    public static func name(run: String, lab: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in run.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        let hex = String(hash >> 32, radix: 16)
        let safe = String(lab.map { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) ? $0 : "_" })
        return "boxlab-" + String(repeating: "0", count: 8 - hex.count) + hex + "-" + safe
    }

    /// Where the root is in `layout`. A directory already journaled under that name
    /// (`journaled`: from the ledger) wins, so a `boxlab check` started in another cgroup
    /// still finds the lab's groups.
    public static func locate(
        run: String, lab: String, layout: CgroupLayout, journaled: [String] = [], controllers: [CgroupController] = CgroupController.lab
    ) throws(CgroupError) -> CgroupRoot {
        let name = name(run: run, lab: lab)
        var places: [CgroupController: Cgroup.Place] = [:]
        var parents: [String: String] = [:]
        for controller in controllers {
            guard let hierarchy = layout.hierarchy(for: controller) else {
                throw CgroupError("this machine has no \(controller.rawValue) cgroup controller (no cgroup mount offers it): use a kernel built with it, or boot with cgroup_enable=\(controller.rawValue)")
            }
            let directory = journaled.first { $0.hasPrefix(hierarchy.mountPoint + "/") && $0.hasSuffix("/" + name) }
                ?? hierarchy.ownDirectory + "/" + name
            places[controller] = Cgroup.Place(version: hierarchy.version, directory: directory)
            parents[directory] = String(directory.dropLast(name.count + 1))
        }
        return CgroupRoot(name: name, group: Cgroup(places: places), parents: parents)
    }

    /// Makes the root in every hierarchy, each directory journaled before it is made, and on
    /// v2 enables the lab's controllers: in the parent's cgroup.subtree_control (so the root
    /// has their files) and in the root's (so the groups below it have them). An existing root
    /// is kept as it is.
    public func prepare(journal: (String) throws(KernelError) -> Void) throws(CgroupError) {
        for directory in group.directories {
            let parent = parents[directory] ?? directory
            let version = group.places.values.first { $0.directory == directory }?.version ?? .v1
            let controllers = group.places.filter { $0.value.directory == directory && !$0.key.isCoreOnV2 }.map(\.key).sorted()
            if version == .v2 { try Self.enable(controllers, in: parent) }
            if !Cgroup.exists(directory) {
                do throws(KernelError) {
                    try journal(directory)
                    try FileSystem.mkdir(directory)
                } catch {
                    throw CgroupError("cannot make the lab's cgroup \(directory): \(error)", kernel: error)
                }
            }
            if version == .v2 { try Self.enable(controllers, in: directory) }
        }
    }

    /// Kills the processes of every group below the root and removes those groups.
    public func wipe() throws(KernelError) {
        try group.remove(keepingSelf: true)
    }

    /// Kills every process in the root and below it, and removes it all.
    public func remove() throws(KernelError) {
        try group.remove()
    }

    /// Lists `controllers` in `directory`'s cgroup.subtree_control, unless they are already.
    private static func enable(_ controllers: [CgroupController], in directory: String) throws(CgroupError) {
        let names = controllers.map(\.rawValue)
        func words(_ file: String) throws(CgroupError) -> [String] {
            do throws(KernelError) {
                return try Cgroup.read(directory + "/" + file).split(separator: " ").map(String.init)
            } catch {
                throw CgroupError("cannot read \(directory)/\(file): \(error)", kernel: error)
            }
        }
        let offered = try words("cgroup.controllers")
        let missing = names.filter { !offered.contains($0) }
        guard missing.isEmpty else {
            throw CgroupError("cgroup v2 does not give \(directory) the \(missing.joined(separator: ", ")) controller: list it in the parent's cgroup.subtree_control, or run BoxLab in a delegated cgroup (systemd-run -p Delegate=yes)")
        }
        let enabled = try words("cgroup.subtree_control")
        let wanted = names.filter { !enabled.contains($0) }
        guard !wanted.isEmpty else { return }
        do throws(KernelError) {
            try Cgroup.write(directory + "/cgroup.subtree_control", wanted.map { "+" + $0 }.joined(separator: " "))
        } catch {
            guard error.errno == .EBUSY else { throw CgroupError("cannot enable \(wanted.joined(separator: ", ")) in \(directory): \(error)", kernel: error) }
            throw CgroupError("\(directory) holds processes, and cgroup v2 gives the groups below a cgroup controllers only when it holds none (no internal processes): run BoxLab as the only process of a cgroup of its own, e.g. systemd-run --scope -p Delegate=yes boxlab …", kernel: error)
        }
    }
}
