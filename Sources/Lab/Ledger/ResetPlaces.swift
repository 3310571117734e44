import Kernel

/// Where `reset` may act, whatever the ledger says: below the run directory, names in
/// /run/netns, and the lab cgroups named for this run directory. A forged or stale line
/// naming anything else (`/`, a host file, someone else's cgroup) is reported and left.
struct ResetPlaces {
    let run: RunDirectory

    /// The run directory is an absolute path other than `/`, without `.`, `..` or empty
    /// components: a prefix that only its own contents match.
    var runIsOwnable: Bool { run.path != "/" && Self.isClean(run.path) }

    /// Strictly below the run directory.
    func isBelowRun(_ path: String) -> Bool {
        runIsOwnable && Self.isClean(path) && path.hasPrefix(run.path + "/")
    }

    /// A mount BoxLab makes in host mode: below the run directory, or iproute2's bind of
    /// /run/netns on itself.
    func isMountPlace(_ path: String) -> Bool {
        isBelowRun(path) || path == Sandbox.networkNamespaces
    }

    /// A file or link named for a network namespace, directly in /run/netns.
    func isNamespaceName(_ path: String) -> Bool {
        path.hasPrefix(Sandbox.networkNamespaces + "/")
            && NetworkNamespaces.problem(with: String(path.dropFirst(Sandbox.networkNamespaces.count + 1))) == nil
    }

    /// The disk workspace named for this run directory (`DiskWorkspace.name`), wherever
    /// its place was.
    func isWorkspacePlace(_ path: String) -> Bool {
        runIsOwnable && Self.isClean(path) && path.split(separator: "/").last.map(String.init) == DiskWorkspace.name(run: run)
    }

    /// A lab's cgroup root of this run directory (`boxlab-<hash of the run directory>-LAB`),
    /// inside a cgroup hierarchy of `layout`.
    func isCgroupPlace(_ path: String, in layout: CgroupLayout) -> Bool {
        guard Self.isClean(path), let hierarchy = layout.hierarchy(containing: path), path.hasPrefix(hierarchy.mountPoint + "/"),
              let name = path.split(separator: "/").last else { return false }
        return name.hasPrefix(CgroupRoot.name(run: run.path, lab: ""))
    }

    /// Absolute, and every component a name (no `.`, `..` or empty one).
    static func isClean(_ path: String) -> Bool {
        path.hasPrefix("/") && !path.dropFirst().split(separator: "/", omittingEmptySubsequences: false).contains { $0.isEmpty || $0 == "." || $0 == ".." }
    }
}
