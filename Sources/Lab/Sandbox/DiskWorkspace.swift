import Glibc
import Kernel

/// The sandbox's workspace on a disk filesystem, where the kernel's tmpfs takes no user.*
/// attributes (before Linux 6.6). In a user namespace overlayfs keeps its whiteouts and
/// opaque directories in user.overlay.* (`userxattr`): on a tmpfs without them lab 02's
/// `rm -r merged/config` of a lower directory fails with EIO.
///
/// The supervisor (host root) makes a directory named for the run directory, journals it
/// with its identity, checks that its filesystem takes a user.* attribute, and hands the
/// workspace below it to the sandbox as it does the run directory (kept writable, idmapped
/// to the sandbox's root);
/// inside, it is bound on the run directory's workspace path instead of a tmpfs. `reset`
/// removes it without following a link and without acting outside it.
public struct DiskWorkspace: Sendable, Equatable {
    /// The directory named for the run directory: the sandbox's root (by its host id) owns
    /// it, mode 0700, so no user of the host reaches what the sandbox puts below it (a
    /// setuid file the sandbox's root made lands as host root's through the idmapped mount)
    /// and the sandbox, seeing it read-only, cannot open it up.
    public let path: String
    /// The workspace itself, below `path`: kept writable in the sandbox, idmapped.
    public var directory: String { path + "/workspace" }

    public init(path: String) { self.path = path }

    /// `BOXLAB_WORKSPACE_DISK=DIR` puts the workspace in DIR on any kernel (the test suite
    /// does, to run this path where tmpfs would do); by default it goes in `defaultPlace`, and
    /// only where tmpfs lacks user.* attributes.
    public static let placeVariable = "BOXLAB_WORKSPACE_DISK"
    public static let defaultPlace = "/var/lib/boxlab"
    /// Tells the sandbox's worker where its workspace is (set by the supervisor, read once).
    public static let sandboxVariable = "BOXLAB_SANDBOX_WORKSPACE"

    /// `boxlab-1f2e3d4c-workspace`: named for the run directory, as its cgroups are.
    public static func name(run: RunDirectory) -> String { CgroupRoot.name(run: run.path, lab: "workspace") }

    /// Where this run's sandbox gets its workspace: nil for a tmpfs (Linux 6.6 and later,
    /// unless `BOXLAB_WORKSPACE_DISK` says otherwise).
    public static func chosen(run: RunDirectory) -> DiskWorkspace? {
        if let place = ProcessEnvironment.value(placeVariable), !place.isEmpty {
            return DiskWorkspace(path: (place.hasSuffix("/") ? String(place.dropLast()) : place) + "/" + name(run: run))
        }
        guard tmpfsLacksUserAttributes else { return nil }
        return DiskWorkspace(path: defaultPlace + "/" + name(run: run))
    }

    /// tmpfs takes user.* attributes from Linux 6.6 on.
    static var tmpfsLacksUserAttributes: Bool {
        (Trace.untraced { try? KernelVersion.running() } ?? nil).map { $0 < KernelVersion(6, 6) } ?? false
    }

    var place: String { String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)]) }

    /// Host side: makes the workspace, journaled with its identity once it exists, and
    /// checks that it takes a user.* attribute (the attribute stays: it marks the directory).
    /// A workspace a run left (ended without its reset) is removed first when it is the
    /// journaled one; any other directory at the path is refused.
    public func prepare(run: RunDirectory, ledger: Ledger) throws(DiskWorkspaceUnavailable) {
        let fix = "mount a disk filesystem that has them (ext4, xfs, btrfs) on \(place), or set \(DiskWorkspace.placeVariable) to a directory on one"
        let path = path, place = place
        func failed(_ error: KernelError) -> DiskWorkspaceUnavailable {
            DiskWorkspaceUnavailable("cannot make the sandbox's workspace \(path): \(error): \(fix)")
        }
        try Trace.untraced { () throws(DiskWorkspaceUnavailable) in
            if (try? FileSystem.lstat(path)) != nil { _ = Reset(run: run).removeWorkspaces(ledger.entries()) }
            do throws(KernelError) {
                try makeDirectory(place)
                try FileSystem.mkdir(path, mode: 0o700)
                let made = try FileSystem.lstat(path)
                try ledger.record(.workspace(path: path, device: made.device.description, inode: made.inode))
                try FileSystem.lchown(path, uid: Sandbox.rootID, gid: Sandbox.rootID)
                try FileSystem.mkdir(path + "/workspace")
            } catch where error.errno == .EEXIST {
                throw DiskWorkspaceUnavailable("\(path) is there and BoxLab did not journal it: remove it (rm -r \(path)) if no BoxLab runs from \(run.path)")
            } catch {
                throw failed(error)
            }
            do throws(KernelError) {
                try FileSystem.setxattr(path + "/workspace", "user.boxlab.workspace", Array("1".utf8))
            } catch where error.errno == .EOPNOTSUPP {
                try? FileSystem.rmdir(path + "/workspace")
                try? FileSystem.rmdir(path)
                let filesystem = (try? MountTable.read())?.mount(containing: place)?.fstype ?? "?"
                let tmpfs = DiskWorkspace.tmpfsLacksUserAttributes ? "this kernel's tmpfs has none (Linux 6.6 and later have them), and " : ""
                throw DiskWorkspaceUnavailable("the sandbox's workspace needs user.* attributes (overlayfs keeps whiteouts in them in a user namespace): "
                    + tmpfs + "\(place) is on \(filesystem), which has none: " + fix)
            } catch {
                try? FileSystem.rmdir(path + "/workspace")
                try? FileSystem.rmdir(path)
                throw failed(error)
            }
        }
    }

    /// Inside a new sandbox: the workspace its supervisor made, if it made one (read once).
    static func handedOver() -> DiskWorkspace? {
        guard let path = ProcessEnvironment.value(sandboxVariable) else { return nil }
        unsetenv(sandboxVariable)
        return DiskWorkspace(path: path)
    }
}

/// Why the sandbox cannot have a workspace that takes user.* attributes: one line with the fix.
public struct DiskWorkspaceUnavailable: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
