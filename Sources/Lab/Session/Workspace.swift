import FoundationEssentials

/// The directory a lab works in, and the current directory that `cd` moves.
///
/// Paths in commands and expectations are relative to the current directory and
/// expectations' to the root; what the learner sees names the root `<ws>`.
public final class Workspace: @unchecked Sendable {
    public let root: String
    public private(set) var current: String

    /// Whether `display` writes the root as `<ws>`: not for commands run from the shell,
    /// whose "workspace" is just the current directory.
    let namesRoot: Bool

    /// Whether the paths commands and expectations name are held to `PathPolicy`: in a lab
    /// session, not for a command typed in the user's own shell (`boxlab image build DIR`),
    /// whose paths are that user's as any program's arguments are.
    let confined: Bool

    /// The lab's cgroup directories and their names (`$memory`), which the lab may read and
    /// write below: set from what BoxLab made, never from the lab's variables.
    public var cgroupPlaces: [(path: String, name: String)] = []

    public init(root: String, namesRoot: Bool = true, confined: Bool = true) {
        self.root = root
        self.current = root
        self.namesRoot = namesRoot
        self.confined = confined
    }

    /// An absolute path for `path` as a command typed in the current directory means it.
    public func resolve(_ path: String) -> String {
        normalize(path.hasPrefix("/") ? path : current + "/" + path)
    }

    /// An absolute path for `path` relative to the workspace root (expectations).
    public func resolveFromRoot(_ path: String) -> String {
        normalize(path.hasPrefix("/") ? path : root + "/" + path)
    }

    /// The absolute path a command hands the kernel for `path` (relative to the current
    /// directory), once `PathPolicy` allows `use` of it. `following`: the command follows a
    /// symlink at the end of the path (cat), or acts on the link itself (rm, readlink, ln's
    /// link name).
    public func confine(_ path: String, for use: PathUse, following: Bool = true) throws -> String {
        let absolute = resolve(path)
        if confined { try policy.check(absolute, written: path, use: use, following: following) }
        return absolute
    }

    var policy: PathPolicy { PathPolicy(root: root, cgroups: cgroupPlaces) }

    public func changeDirectory(to path: String) { current = resolve(path) }
    public func resetCurrent() { current = root }

    /// Whether a mount on `mountPoint` may be this lab's (`PathPolicy.mayMount`); any, for
    /// paths not held to the policy.
    func mayMount(on mountPoint: String) -> Bool { !confined || policy.mayMount(on: mountPoint) }

    /// Directories shown by the name a lab gives them: a cgroup directory as `$memory`.
    public var aliases: [(path: String, name: String)] = [] {
        didSet { aliases.sort { $0.path.count > $1.path.count } }  // a directory before its parent
    }

    /// `path` as the learner sees it: `<ws>/merged` instead of the long absolute path.
    public func display(_ text: String) -> String {
        aliases.reduce(namesRoot ? text.replacing(root, with: "<ws>") : text) { $0.replacing($1.path, with: $1.name) }
    }

    /// `path` relative to the root, for diffs and messages ("upper/in_both.txt").
    public func relative(_ path: String) -> String {
        if path == root { return "." }
        if path.hasPrefix(root + "/") { return String(path.dropFirst(root.count + 1)) }
        return path
    }

    public var currentForDisplay: String { display(current) }
}

/// Removes `.` and `..` and repeated slashes without touching the file system (no symlinks followed),
/// the way the kernel would walk the path from the root.
func normalize(_ path: String) -> String {
    var parts: [Substring] = []
    for part in path.split(separator: "/", omittingEmptySubsequences: true) {
        switch part {
        case ".": continue
        case "..": if !parts.isEmpty { parts.removeLast() }
        default: parts.append(part)
        }
    }
    return "/" + parts.joined(separator: "/")
}
