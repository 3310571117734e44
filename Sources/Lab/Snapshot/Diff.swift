import Kernel

extension Snapshot {
    /// What changed from `self` to `after`, a line each, mounts first:
    /// `+ mount 212 overlay on <ws>/merged (lowerdir=<ws>/lower, …)`, `+ whiteout upper/x (c 0,0)`.
    public func changes(to after: Snapshot, in workspace: Workspace, limit: Int = 40) -> [String] {
        var lines: [String] = []
        // By mount point, not by id: the kernel reuses the ids of freed mounts, so under load a
        // later mount can get a lower id than an earlier one.
        for id in Snapshot.byMountPoint(after.mounts) where mounts[id] == nil {
            lines.append("+ " + describe(after.mounts[id]!, workspace))
        }
        for id in Snapshot.byMountPoint(mounts) where after.mounts[id] == nil {
            let entry = mounts[id]!
            lines.append("- mount \(id) \(entry.fstype) on \(workspace.display(entry.mountPoint))")
        }
        for id in Snapshot.byMountPoint(mounts) {
            guard let old = mounts[id], let new = after.mounts[id], old.propagation != new.propagation else { continue }
            lines.append("~ mount \(id) on \(workspace.display(new.mountPoint)): propagation \(old.propagation.rawValue) -> \(new.propagation.rawValue)")
        }
        var fileLines: [String] = []
        for path in Set(files.keys).union(after.files.keys).sorted() {
            if let line = fileChange(path, files[path], after.files[path]) { fileLines.append(line) }
        }
        if fileLines.count > limit {
            fileLines = Array(fileLines.prefix(limit)) + ["… and \(fileLines.count - limit) more changes in the workspace"]
        }
        return lines + NetworkSnapshot.changes(from: network, to: after.network) + FlowSnapshot.changes(from: flows, to: after.flows) + fileLines
    }

    private func describe(_ entry: MountInfoEntry, _ workspace: Workspace) -> String {
        let interesting = entry.superOptions.filter { ["lowerdir", "upperdir", "workdir"].contains($0.split(separator: "=").first.map(String.init) ?? "") }
        var text = "mount \(entry.mountID) \(entry.fstype) on \(workspace.display(entry.mountPoint))"
        if !interesting.isEmpty { text += " (" + interesting.map { workspace.display($0) }.joined(separator: ", ") + ")" }
        if entry.propagation != .private { text += " [\(entry.propagation.rawValue)]" }
        return text
    }

    private func fileChange(_ path: String, _ before: FileRecord?, _ after: FileRecord?) -> String? {
        switch (before, after) {
        case (nil, let new?): return "+ \(kind(new)) \(path)\(detail(new))"
        case (let old?, nil): return "- \(kind(old)) \(path)"
        case (let old?, let new?) where old != new:
            if kind(old) != kind(new) { return "~ \(path): \(kind(old)) -> \(kind(new))\(detail(new))" }
            if new.type == .regular, old.digest != new.digest || old.size != new.size { return "~ file \(path) (content changed, \(new.size) bytes)" }
            if old.permissions != new.permissions { return "~ \(path) mode \(String(old.permissions, radix: 8)) -> \(String(new.permissions, radix: 8))" }
            return nil
        default: return nil
        }
    }

    private func kind(_ record: FileRecord) -> String {
        if record.whiteout { return "whiteout" }
        switch record.type {
        case .regular: return "file"
        case .directory: return record.opaque ? "opaque dir" : "dir"
        case .symlink: return "symlink"
        case .characterDevice: return "char device"
        case .blockDevice: return "block device"
        case .fifo: return "fifo"
        case .socket: return "socket"
        }
    }

    private func detail(_ record: FileRecord) -> String {
        switch record.type {
        case .regular: " (\(record.size) bytes)"
        case .characterDevice, .blockDevice: " (\(record.whiteout ? "c " : "")\(record.rdev))"
        default: ""
        }
    }

    /// Mount ids ordered by mount point, and by id where mounts are stacked on one point.
    static func byMountPoint(_ mounts: [Int: MountInfoEntry]) -> [Int] {
        mounts.keys.sorted { (mounts[$0]!.mountPoint, $0) < (mounts[$1]!.mountPoint, $1) }
    }
}
