#if canImport(Glibc)
import Glibc
#endif

/// How a started process enters one of its cgroups, opened by the parent before the clone: a
/// cgroup2 directory it is cloned into (clone3 with CLONE_INTO_CGROUP), or a v1 group's
/// `tasks` file that the child writes 0 to, before anything else. Neither moves a process by
/// pid, which takes a global lock whose writer waits for an RCU grace period (milliseconds,
/// most of a container's start on a v1 machine).
final class CgroupEntry: Sendable {
    let descriptor: FileDescriptor
    let version: CgroupVersion

    /// The corresponding C functions are `statfs` and `open`.
    init(_ directory: String) throws(KernelError) {
        // Which interface the directory speaks is BoxLab's question, not a call the learner made.
        let type = try Trace.untraced { () throws(KernelError) in try FileSystem.fileSystemType(directory) }
        version = type == Self.cgroup2Magic ? .v2 : .v1
        descriptor = switch version {
        case .v2: try OpenFile.open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC).descriptor
        case .v1: try OpenFile.open(directory + "/tasks", O_WRONLY | O_CLOEXEC).descriptor
        }
    }

    deinit {
        var descriptor = descriptor
        try? descriptor.close()
    }

    /// CGROUP2_SUPER_MAGIC, statfs(2)'s f_type on a cgroup2 mount.
    static let cgroup2Magic = 0x6367_7270
}
