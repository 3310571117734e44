#if canImport(Glibc)
import Glibc
#endif

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
                ?? own(in: hierarchy) + "/" + name
            places[controller] = Cgroup.Place(version: hierarchy.version, directory: directory)
            parents[directory] = String(directory.dropLast(name.count + 1))
        }
        return CgroupRoot(name: name, group: Cgroup(places: places), parents: parents)
    }

    /// BoxLab's own cgroup in `hierarchy`: where this process is, or the cgroup it left for
    /// its leaf (`leaf(of:)`, also where a sandbox's processes start on v2), so that groups
    /// are made beside the leaf, never below it. That cgroup may be the mount's root: the
    /// root cgroup, or inside the sandbox the delegated group, its cgroup namespace's root.
    static func own(in hierarchy: CgroupHierarchy) -> String {
        let directory = hierarchy.ownDirectory
        guard hierarchy.version == .v2, directory.hasSuffix("/" + leafName), directory.count >= hierarchy.mountPoint.count + leafName.count + 1 else { return directory }
        return String(directory.dropLast(leafName.count + 1))
    }

    /// How far `prepare` hands the controllers down on v2.
    public enum HandOff: Sendable {
        /// Not at all.
        case none
        /// Into the root (its parent's cgroup.subtree_control): the root has their files and
        /// may still hold processes.
        case intoRoot
        /// Also below it (the root's cgroup.subtree_control): its groups have them, and it
        /// holds no processes.
        case belowRoot
    }

    /// Makes the root in every hierarchy, each directory journaled before and after it is made, and on
    /// v2 enables the lab's controllers as far as `handOff` says: in the parent's cgroup.subtree_control
    /// (so the root has their files) and in the root's (so the groups below it have them), each change
    /// journaled so `reset` can undo it. An existing root is kept as it is.
    public func prepare(journal: (CgroupChange) throws(KernelError) -> Void, handOff: HandOff = .belowRoot) throws(CgroupError) {
        for directory in group.directories {
            let parent = parents[directory] ?? directory
            let version = group.places.values.first { $0.directory == directory }?.version ?? .v1
            let controllers = group.places.filter { $0.value.directory == directory && !$0.key.isCoreOnV2 }.map(\.key).sorted()
            if version == .v2, handOff != .none { try Self.enable(controllers, in: parent, journal: journal, delegating: true) }
            if !Cgroup.exists(directory) {
                do throws(KernelError) {
                    try journal(.group(directory, inode: nil))
                    try FileSystem.mkdir(directory)
                    try journal(.group(directory, inode: try FileSystem.lstat(directory).inode))
                } catch {
                    throw CgroupError("cannot make the lab's cgroup \(directory): \(error)", kernel: error)
                }
            }
            if version == .v2, handOff == .belowRoot { try Self.enable(controllers, in: directory, journal: journal, delegating: false) }
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
    ///
    /// cgroup v2 hands controllers down only from a cgroup without processes of its own (the
    /// root excepted). When BoxLab's own cgroup holds nothing but BoxLab (a scope made for it,
    /// `systemd-run --scope`), it moves itself into a leaf below (`delegating`), as runc does,
    /// staying in its own tree; `reset` moves it back.
    private static func enable(_ controllers: [CgroupController], in directory: String,
                               journal: (CgroupChange) throws(KernelError) -> Void, delegating: Bool) throws(CgroupError) {
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
            throw CgroupError("cgroup v2 does not give \(directory) the \(missing.joined(separator: ", ")) controller: list it in the parent's cgroup.subtree_control, or run BoxLab in a delegated cgroup (systemd-run --scope -p Delegate=yes)")
        }
        let enabled = try words("cgroup.subtree_control")
        let wanted = names.filter { !enabled.contains($0) }
        guard !wanted.isEmpty else { return }
        do throws(KernelError) {
            try journal(.controllers(directory, wanted))
            try Cgroup.write(directory + "/cgroup.subtree_control", wanted.map { "+" + $0 }.joined(separator: " "))
        } catch {
            guard error.errno == .EBUSY, delegating else { throw CgroupError("cannot enable \(wanted.joined(separator: ", ")) in \(directory): \(error)", kernel: error) }
            try moveIntoLeaf(directory, journal: journal)
            do throws(KernelError) {
                try Cgroup.write(directory + "/cgroup.subtree_control", wanted.map { "+" + $0 }.joined(separator: " "))
            } catch {
                throw CgroupError("cannot enable \(wanted.joined(separator: ", ")) in \(directory) after leaving it for a leaf: \(error)", kernel: error)
            }
        }
    }

    /// The leaf BoxLab moves into from `directory`, its own cgroup.
    public static func leaf(of directory: String) -> String { directory + "/" + leafName }
    public static let leafName = "boxlab-self"

    /// Moves BoxLab's processes out of `directory` into its leaf, when they are all it holds.
    private static func moveIntoLeaf(_ directory: String, journal: (CgroupChange) throws(KernelError) -> Void) throws(CgroupError) {
        let ours = ProcessTable.ancestry(of: getpid())
        let members = (try? Cgroup.processes(in: directory)) ?? []
        let others = members.filter { !ours.contains($0) }
        guard others.isEmpty else {
            throw CgroupError("\(directory) holds processes other than BoxLab (\(others.prefix(3).map { "\($0) \(ProcessTable.name(of: $0) ?? "?")" }.joined(separator: ", "))), and cgroup v2 hands controllers only to the groups below a cgroup with no processes: start BoxLab in a cgroup of its own, e.g. systemd-run --scope -p Delegate=yes scripts/boxlab")
        }
        let leaf = leaf(of: directory)
        do throws(KernelError) {
            try journal(.leaf(parent: directory, leaf: leaf))
            if !Cgroup.exists(leaf) { try FileSystem.mkdir(leaf) }
            for pid in members { try Cgroup.write(leaf + "/cgroup.procs", String(pid)) }
        } catch {
            throw CgroupError("cannot move BoxLab into \(leaf): \(error)", kernel: error)
        }
    }
}

/// A change BoxLab makes to the cgroup tree, journaled before it is made.
public enum CgroupChange: Sendable, Equatable {
    /// A directory made for the lab: `reset` kills what is in it and removes it. Journaled
    /// twice: before the mkdir without its inode (an intent), after it with the inode.
    case group(String, inode: UInt64?)
    /// Controllers listed in a cgroup.subtree_control: `reset` lists them out again.
    case controllers(String, [String])
    /// BoxLab moved from `parent` into `leaf`: `reset` moves whatever is left back, removes it.
    case leaf(parent: String, leaf: String)
}

extension CgroupChange {
    /// Undoes a `controllers` or `leaf` change; returns what it did.
    public func undo() -> String? {
        switch self {
        case .group: return nil
        case .controllers(let directory, let names):
            guard Cgroup.exists(directory) else { return nil }
            let enabled = ((try? Cgroup.read(directory + "/cgroup.subtree_control")) ?? "").split(separator: " ").map(String.init)
            let ours = names.filter { enabled.contains($0) }
            guard !ours.isEmpty, (try? Cgroup.write(directory + "/cgroup.subtree_control", ours.map { "-" + $0 }.joined(separator: " "))) != nil else { return nil }
            return "disabled \(ours.joined(separator: ", ")) in \(directory)/cgroup.subtree_control"
        case .leaf(let parent, let leaf):
            guard Cgroup.exists(leaf) else { return nil }
            // A process that was exiting as it was moved is still counted in the leaf for a
            // moment, and rmdir answers EBUSY until it is gone: asked again for up to a second.
            for _ in 0..<50 {
                for pid in (try? Cgroup.processes(in: leaf)) ?? [] { try? Cgroup.write(parent + "/cgroup.procs", String(pid)) }
                if (try? FileSystem.rmdir(leaf)) != nil { return "moved back from and removed cgroup \(leaf)" }
                usleep(20_000)
            }
            return "left cgroup \(leaf)"
        }
    }
}
