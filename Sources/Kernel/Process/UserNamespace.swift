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
}
