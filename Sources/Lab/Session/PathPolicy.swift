import Glibc
import Kernel

/// What a command does with a path: most places outside the workspace may only be read.
public enum PathUse: Sendable {
    case read
    case write
}

/// A path a lab named that BoxLab will not hand the kernel, with the rule it breaks, as one line.
public struct PathRefusal: Error, Sendable, CustomStringConvertible {
    /// The path as the lab wrote it.
    public let written: String
    let reason: String
    let rule: String

    public var description: String { "'\(written)' \(reason) (\(rule))" }
}

/// The one rule for every path a lab names (issue 12): a lab file is untrusted input, so its
/// paths stay below the workspace, plus a short list of kernel places the labs need.
///
/// Below the workspace (or a lab cgroup directory) the kernel walks the part of the path that
/// exists with openat2 and RESOLVE_BENEATH, so neither `..` nor a symlink anywhere on the way
/// takes it out; what does not exist yet is made by the command's own call in the directory
/// that walk reached, so it only must not climb out with `..`. The named places outside are
/// matched by their shape. Check and use are two calls: between them only the lab's own steps
/// run, and a path swapped in the meantime by an `sh` block is the sandbox's to contain.
struct PathPolicy {
    let root: String
    /// The lab's cgroup directories and the names the lab knows them by (`$memory`).
    let cgroups: [(path: String, name: String)]

    /// Refuses `absolute` (normalized: no `.` or `..`) unless `use` of it stays where labs may go.
    func check(_ absolute: String, written: String, use: PathUse, following: Bool) throws {
        if let relative = Self.relative(absolute, below: root) {
            return try walk(root, relative, written: written, following: following)
        }
        for place in cgroups {
            // The directory itself is BoxLab's to make and remove; its files and groups below are the lab's.
            if absolute == place.path, use == .read { return }
            if let relative = Self.relative(absolute, below: place.path), !relative.isEmpty {
                return try walk(place.path, relative, written: written, following: following, placeName: place.name)
            }
        }
        for directory in Self.namespaceDirectories {
            guard let name = Self.relative(absolute, below: directory) else { continue }
            if name.isEmpty, use == .read { return }
            // One name, never followed if it is a link: `ln -s /etc/x /run/netns/a` makes a name, not a way out.
            if !name.isEmpty, !name.contains("/") { return try walk(directory, name, written: written, following: following, placeName: directory) }
        }
        if let allowed = Self.kernelFiles[absolute] ?? Self.processFile(absolute) {
            guard use == .read || allowed == .write else { throw refusal(written, "may only be read") }
            return
        }
        throw refusal(written, "is outside the workspace")
    }

    /// Checks that the kernel's walk of `relative` (which may hold `..`) stays beneath `base`,
    /// which the learner knows as `placeName`.
    func walk(_ base: String, _ relative: String, written: String, following: Bool, placeName: String = "the workspace") throws {
        var parts = relative.split(separator: "/").map(String.init)
        var missing: [String] = []
        while !parts.isEmpty {
            let path = parts.joined(separator: "/"), followingLast = missing.isEmpty ? following : true
            let failure = Trace.untraced { () -> KernelError? in
                do throws(KernelError) { try FileSystem.walkBeneath(base, path, followingLast: followingLast) } catch { return error }
                return nil
            }
            guard let failure else { break }
            switch failure.errno {
            case .ENOENT, .ENOTDIR: missing.insert(parts.removeLast(), at: 0)
            case .EXDEV, Errno(ELOOP): throw refusal(written, "leads out of \(placeName) through '..' or a symbolic link")
            default: throw failure
            }
        }
        if missing.contains("..") { throw refusal(written, "climbs with '..' out of a directory that does not exist yet") }
    }

    func refusal(_ written: String, _ reason: String) -> PathRefusal {
        PathRefusal(written: written, reason: reason, rule: rule)
    }

    /// The rule, for the learner: where paths may go.
    var rule: String {
        let cgroupNames = cgroups.map(\.name)
        let places = ["/proc/PID/ns/* and /proc/PID/{\(Self.processFiles.sorted().joined(separator: ","))} to read",
                      "/run/netns/NAME", "/var/run/netns/NAME", "/dev/{null,zero,full,random,urandom,tty}"]
            + (cgroupNames.isEmpty ? [] : ["below " + cgroupNames.sorted().joined(separator: ", ")])
        return "lab paths stay below <ws>; allowed outside it: " + places.joined(separator: ", ")
    }

    /// `path` relative to `directory` ("" for the directory itself), if it is below it.
    static func relative(_ path: String, below directory: String) -> String? {
        if path == directory { return "" }
        let prefix = directory == "/" ? "/" : directory + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : nil
    }

    /// Where iproute2 keeps named network namespaces: the labs link a process's namespace
    /// there (`ln -s /proc/$box/ns/net /run/netns/box`); /var/run is /run's old name.
    static let namespaceDirectories = ["/run/netns", "/var/run/netns"]

    /// Whether a lab may have made a mount on `mountPoint`: one below the root or a named
    /// network namespace's. Other mounts in BoxLab's mount namespace are not the lab's (another
    /// session sharing it mounts its own workspace), so they are no part of a step's diff.
    func mayMount(on mountPoint: String) -> Bool {
        ([root] + Self.namespaceDirectories).contains { Self.relative(mountPoint, below: $0) != nil }
    }

    /// Devices a lab may name as a command's input or output, or bind into a container's
    /// /dev where it may not make nodes (a user namespace): the ones every container gets
    /// read-write, whose writes go nowhere or only feed the entropy pool.
    static let kernelFiles: [String: PathUse] = Dictionary(uniqueKeysWithValues: ["null", "zero", "full", "random", "urandom", "tty"].map { ("/dev/" + $0, .write) })

    /// What the labs read about a process: its namespaces, id maps and identity.
    static let processFiles: Set<String> = ["uid_map", "gid_map", "setgroups", "comm", "cmdline", "status", "cgroup", "mountinfo"]

    /// `/proc/PID/ns`, `/proc/PID/ns/KIND` and `/proc/PID/FILE` of `processFiles`, for a pid
    /// or `self`: read only. Which processes may be named is the process rules' business.
    static func processFile(_ path: String) -> PathUse? {
        let parts = path.split(separator: "/").map(String.init)
        guard parts.count >= 3, parts[0] == "proc", parts[1] == "self" || parts[1].allSatisfy(\.isNumber) else { return nil }
        switch parts.count {
        case 3 where parts[2] == "ns" || processFiles.contains(parts[2]): return .read
        case 4 where parts[2] == "ns" && (NamespaceKind(rawValue: parts[3]) != nil || ["pid_for_children", "time_for_children"].contains(parts[3])): return .read
        default: return nil
        }
    }
}
