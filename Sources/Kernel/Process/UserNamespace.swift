#if canImport(Glibc)
import Glibc
#endif

/// The user namespace this process runs in, as far as the lessons depend on it.
public enum UserNamespace {
    /// Whether uid 0 here is the host's root (the initial user namespace, or one that maps
    /// 0 to 0). Inside BoxLab's sandbox it is not: the kernel lets only the host's root make
    /// device nodes and set trusted.* attributes, so the labs, image unpacking and
    /// `container run` take the forms rootless runtimes take there.
    ///
    /// Read once: a process's user namespace is fixed once Swift runs (setns into a user
    /// namespace fails in a multithreaded process; the sandbox is entered before, in C), and
    /// the answer is asked per whiteout, per `mknod` and per session.
    public static let mapsHostRoot: Bool =
        // BoxLab's own question, not a step of the lesson: kept out of the trace.
        Trace.untraced { ProcessTable.idMap("uid_map", of: getpid()) ?? "" }.split(separator: "\n").contains { $0.hasPrefix("0 0 ") }

    /// overlayfs's own attributes (`overlay.opaque`) are trusted.* as host root; in another
    /// user namespace a mount with the `userxattr` option uses user.overlay.* instead.
    public static var overlayAttributePrefix: String { mapsHostRoot ? "trusted.overlay." : "user.overlay." }

    /// The two maps of a user namespace: which ids outside its ids inside are.
    public enum MapFile: String, Sendable {
        case uid = "uid_map", gid = "gid_map"
    }

    /// A file of a process's own user namespace, written by the process itself
    /// (`SetupOperation.writeOwn`): no privileged parent writes it, as none does for a
    /// rootless container.
    public enum OwnFile: Sendable, Equatable {
        case map(MapFile), setgroups

        public var path: String {
            switch self {
            case let .map(file): "/proc/self/" + file.rawValue
            case .setgroups: "/proc/self/setgroups"
            }
        }
    }

    /// Writes `lines` ("INSIDE OUTSIDE COUNT") to /proc/PID/uid_map or gid_map of a process
    /// in a user namespace, as newuidmap(1) does: once per namespace, in one write, by a
    /// process outside it with CAP_SETUID (CAP_SETGID) over the ids the map names.
    ///
    /// The corresponding C functions are `open`, `write` and `close`.
    public static func writeMap(_ file: MapFile, of pid: Int32, _ lines: [String]) throws(KernelError) {
        try FileSystem.writeFile("/proc/\(pid)/\(file.rawValue)", Array(lines.map { $0 + "\n" }.joined().utf8))
    }

    /// Writes "deny" (or "allow") to /proc/PID/setgroups: a gid_map written without
    /// CAP_SETGID in the parent namespace is refused until setgroups(2) is denied there, so a
    /// mapped user cannot drop a group that denies it a file (user_namespaces(7)).
    ///
    /// The corresponding C functions are `open`, `write` and `close`.
    public static func setSetgroups(of pid: Int32, allowed: Bool) throws(KernelError) {
        try FileSystem.writeFile("/proc/\(pid)/setgroups", Array((allowed ? "allow\n" : "deny\n").utf8))
    }
}
