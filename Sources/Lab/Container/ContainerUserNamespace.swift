import Glibc
import Kernel

/// `--userns`: host (no user namespace, the default), `remap` (Docker's userns-remap as it
/// sets it up on Debian, container ids 0–65535 being 100000–165535 outside), or an explicit
/// `OUTSIDE:COUNT`. The container is cloned in a new user namespace whose uid_map and gid_map
/// BoxLab, its parent, writes while it waits, as runc's parent does.
enum ContainerUserNamespace: Sendable, Equatable {
    case host
    case mapped(outside: UInt32, count: UInt32)

    static let remap = ContainerUserNamespace.mapped(outside: 100_000, count: 65_536)

    static let rule = "--userns host, remap (container ids 0–65535 are 100000–165535 outside) or OUTSIDE:COUNT, like 200000:65536"

    init(_ text: String) throws(CommandError) {
        switch text {
        case "host": self = .host
        case "remap": self = .remap
        default:
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, let outside = UInt32(parts[0]), let count = UInt32(parts[1]), count > 0,
                  UInt64(outside) + UInt64(count) <= UInt64(UInt32.max) + 1 else {
                throw CommandError(message: "container run: bad --userns '\(text)'", cause: Self.rule)
            }
            self = .mapped(outside: outside, count: count)
        }
    }

    /// The one line of both maps: root inside is OUTSIDE outside, and COUNT ids on from there.
    var mapLine: String? {
        guard case let .mapped(outside, count) = self else { return nil }
        return "0 \(outside) \(count)"
    }

    /// Refuses a range BoxLab's own user namespace does not hold (the kernel would refuse the
    /// map only after the clone), found before anything is made.
    func checkMapped() throws(CommandError) {
        guard let mapLine else { return }
        for file in [UserNamespace.MapFile.uid, .gid] {
            let own = Trace.untraced { ProcessTable.idMap(file.rawValue, of: getpid()) } ?? ""
            if let outside = Command.unmapped([mapLine], in: own) {
                throw CommandError(
                    message: "container run: --userns: outside ids \(outside) are not in BoxLab's own \(file.rawValue) (\"\(own.replacing("\n", with: ", "))\", inside outside count)",
                    cause: "give a range of ids BoxLab has, such as remap (100000:65536) in BoxLab's sandbox")
            }
        }
    }

    /// Refuses paths the container's root could not walk to: it is not root outside, so each
    /// directory from / down must let others search it (or be its own). The run directory's
    /// containers, the layer store and the volumes' parents are walked by the child; found
    /// here, before anything is made, rather than as an EACCES from its first mount.
    func checkReachable(_ paths: [String]) throws(CommandError) {
        guard case let .mapped(outside, count) = self else { return }
        let owned = UInt64(outside)..<(UInt64(outside) + UInt64(count))
        for path in paths {
            var walked = ""
            for component in [""] + path.split(separator: "/").map(String.init) {
                walked += component.isEmpty ? "/" : (walked.hasSuffix("/") ? "" : "/") + component
                // A directory not made yet is made by BoxLab, searchable.
                guard let status = Trace.untraced({ try? FileSystem.stat(walked) }) else { break }
                let searchable = status.permissions & 0o001 != 0 || (owned.contains(UInt64(status.uid)) && status.permissions & 0o100 != 0)
                guard searchable else {
                    throw CommandError(
                        message: "container run: --userns: the container's root (\(outside) outside) cannot reach \(path): \(walked) is \(String(status.permissions & 0o777, radix: 8)), owned by \(status.uid)",
                        cause: "a user namespace's root is nobody special outside it: let others search that directory (chmod o+x \(walked)), or give --userns host")
                }
            }
        }
    }

    /// Refuses where the kernel would refuse the container's /proc: a new user namespace may
    /// mount a proc only where one is already fully visible, no mount covering part of it but
    /// on an empty directory such as binfmt_misc's (`mount_too_revealing`, fs/namespace.c),
    /// and the mounts its mount namespace copies from BoxLab's are locked there. BoxLab's
    /// sandbox masks files of its own /proc (/proc/keys, …) as runc masks a container's.
    func checkProcVisible() throws(CommandError) {
        guard self != .host, let table = Trace.untraced({ try? MountTable.read() }) else { return }
        let procs = table.entries.filter { $0.fstype == "proc" }
        let covering = procs.map { proc in table.entries.first { $0.parentID == proc.mountID && $0.mountPoint != "/proc/sys/fs/binfmt_misc" } }
        guard !covering.contains(where: { $0 == nil }), let first = covering.compactMap({ $0 }).last else { return }
        throw CommandError(
            message: "container run: --userns: no proc here is whole (\(first.mountPoint) is mounted over part of one), and the kernel mounts a new user namespace's proc only where one is",
            cause: "BoxLab's sandbox masks parts of its /proc, as runc masks a container's: run the lab with --host --trust, where the host's /proc is whole")
    }
}
