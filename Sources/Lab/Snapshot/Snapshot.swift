import FoundationEssentials
import Glibc
import Kernel

/// What BoxLab knows of the kernel's state at one moment: the mounts a lab may make, the
/// files of the workspace, and the network. Taken before and after every step; their difference is what the step changed.
public struct Snapshot: Sendable {
    var mounts: [Int: MountInfoEntry] = [:]
    var files: [String: FileRecord] = [:]
    var network: [String: NetworkSnapshot] = [:]
    /// Each namespace's connection tracking table (`FlowSnapshot`).
    var flows: [String: Set<String>] = [:]

    /// Walks at most this many entries, so a learner who untars a distribution into the
    /// workspace does not stall the REPL.
    static let fileLimit = 5000

    public static func take(of workspace: Workspace) -> Snapshot {
        Trace.untraced {
            var snapshot = Snapshot()
            for entry in (try? MountTable.read())?.entries ?? [] where workspace.mayMount(on: entry.mountPoint) {
                snapshot.mounts[entry.mountID] = entry
            }
            snapshot.walk(workspace.root, relative: "")
            snapshot.network = NetworkSnapshot.take(NetworkPlaces())
            snapshot.flows = FlowSnapshot.take(NetworkPlaces())
            return snapshot
        }
    }

    /// The state after a step. A deleted network namespace is freed by the kernel a moment
    /// later, taking the veth peers in other namespaces with it; when namespaces went, wait
    /// until the network has stopped changing (two equal looks 100 ms apart, at most 2 s), so
    /// the diff shows the whole effect.
    public static func takeAfter(_ before: Snapshot, of workspace: Workspace) -> Snapshot {
        var after = take(of: workspace)
        guard !Set(before.network.keys).subtracting(after.network.keys).isEmpty else { return after }
        for _ in 0..<20 {
            usleep(100_000)
            let again = Trace.untraced { NetworkSnapshot.take(NetworkPlaces()) }
            if again == after.network { break }
            after.network = again
        }
        return after
    }

    private mutating func walk(_ path: String, relative: String) {
        guard let names = try? FileSystem.listDirectory(path) else { return }
        for name in names where files.count < Snapshot.fileLimit {
            let child = path + "/" + name
            let key = relative.isEmpty ? name : relative + "/" + name
            guard let status = try? FileSystem.lstat(child) else { continue }
            files[key] = FileRecord(path: child, status: status)
            if status.type == .directory { walk(child, relative: key) }
        }
    }
}

/// The facts about a file that a lesson cares about changing.
struct FileRecord: Sendable, Equatable {
    var type: FileType
    var size: Int64
    var permissions: UInt32
    var rdev: DeviceNumber
    var opaque: Bool
    var whiteout: Bool
    /// FNV-1a of the content of small regular files, so a rewrite of the same length shows.
    var digest: UInt64?

    init(path: String, status: FileStatus) {
        type = status.type
        size = status.size
        permissions = status.permissions
        rdev = status.rdev
        whiteout = status.isWhiteout
        opaque = status.type == .directory && isOpaque(path)
        digest = status.type == .regular && status.size <= 1 << 20 ? (try? FileSystem.readFile(path)).map(fnv1a) : nil
    }
}

private func fnv1a(_ bytes: [UInt8]) -> UInt64 {
    bytes.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
}
