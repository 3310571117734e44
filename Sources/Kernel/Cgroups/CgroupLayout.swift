/// The cgroup hierarchies this process sees and its place in each, found the way runc finds
/// them: cgroup and cgroup2 mounts from mountinfo, matched with the lines of /proc/self/cgroup.
public struct CgroupLayout: Sendable, Equatable {
    public var hierarchies: [CgroupHierarchy]

    public init(hierarchies: [CgroupHierarchy]) {
        self.hierarchies = hierarchies
    }

    public var mode: CgroupMode {
        let v1 = hierarchies.contains { $0.version == .v1 && $0.controllers.contains { !$0.hasPrefix("name=") } }
        let v2 = hierarchies.contains { $0.version == .v2 }
        return v1 && v2 ? .hybrid : v2 ? .v2 : .v1
    }

    /// The hierarchy that serves `controller`: a v1 hierarchy it is mounted in, else cgroup2
    /// when the controller is not bound to v1 and v2 offers it.
    public func hierarchy(for controller: CgroupController) -> CgroupHierarchy? {
        hierarchies.first { $0.version == .v1 && $0.serves(controller) }
            ?? hierarchies.first { $0.version == .v2 && $0.serves(controller) }
    }

    /// The hierarchy whose mount `path` lies under, with the file's path inside it.
    public func hierarchy(containing path: String) -> CgroupHierarchy? {
        hierarchies.filter { path.hasPrefix($0.mountPoint + "/") }.max { $0.mountPoint.count < $1.mountPoint.count }
    }

    /// Reads /proc/self/mountinfo, /proc/self/cgroup (or that of `process`: its places, as
    /// this process's mounts show them) and the cgroup2 root's cgroup.controllers.
    public static func detect(process: Int32? = nil) throws(CgroupError) -> CgroupLayout {
        do {
            let table = try MountTable.read()
            let membership = String(decoding: try FileSystem.readFile("/proc/\(process.map(String.init) ?? "self")/cgroup"), as: UTF8.self)
            var offered: [String] = []
            if let unified = table.entries.first(where: { $0.fstype == "cgroup2" }) {
                offered = String(decoding: try FileSystem.readFile(unified.mountPoint + "/cgroup.controllers"), as: UTF8.self)
                    .split(whereSeparator: \.isWhitespace).map(String.init)
            }
            return try parse(mountinfo: table, processCgroups: membership, v2Controllers: offered)
        } catch let error as CgroupError {
            throw error
        } catch let error as KernelError {
            throw CgroupError("cannot read this machine's cgroups: \(error)", kernel: error)
        } catch {
            throw CgroupError("cannot read this machine's cgroups: \(error)")
        }
    }

    /// `processCgroups` is the text of /proc/PID/cgroup (`4:memory:/a`, `1:cpu,cpuacct:/`,
    /// `0::/user.slice/…`); `v2Controllers` what the cgroup2 root's cgroup.controllers lists.
    public static func parse(mountinfo: MountTable, processCgroups: String, v2Controllers: [String]) throws(CgroupError) -> CgroupLayout {
        var hierarchies: [CgroupHierarchy] = []
        for line in processCgroups.split(separator: "\n") where !line.isEmpty {
            let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3, Int(fields[0]) != nil else {
                throw CgroupError("/proc/self/cgroup line '\(line)' is not ID:CONTROLLERS:PATH")
            }
            let path = String(fields[2])
            let isUnified = fields[0] == "0" && fields[1].isEmpty
            let wanted = Set(fields[1].split(separator: ",").map(String.init))
            let candidates = mountinfo.entries.filter { entry in
                isUnified ? entry.fstype == "cgroup2" : entry.fstype == "cgroup" && Set(mountedControllers(entry)) == wanted
            }
            // A hierarchy mounted twice (or a subtree bind-mounted) shows the process only
            // where the mount's root contains its cgroup.
            guard let mount = candidates.first(where: { path == $0.root || path.hasPrefix($0.root == "/" ? "/" : $0.root + "/") }) else { continue }
            let inside = mount.root == "/" ? path : String(path.dropFirst(mount.root.count))
            let directory = mount.mountPoint + (inside == "/" ? "" : inside)
            hierarchies.append(CgroupHierarchy(
                version: isUnified ? .v2 : .v1,
                controllers: isUnified ? v2Controllers : mountedControllers(mount),
                mountPoint: mount.mountPoint, ownPath: path.isEmpty ? "/" : path, ownDirectory: directory))
        }
        return CgroupLayout(hierarchies: hierarchies)
    }

    /// A v1 mount's controllers are among its super options (`rw,cpu,cpuacct`, `rw,name=systemd`).
    private static func mountedControllers(_ entry: MountInfoEntry) -> [String] {
        entry.superOptions.filter { CgroupController(rawValue: $0) != nil || $0.hasPrefix("name=") }
    }
}
