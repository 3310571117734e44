import FoundationEssentials
import Kernel

extension Reset {
    /// Host mode's network objects: namespaces first (their links go with them), then the
    /// links made in the host's namespace, newest first.
    func removeNetworkObjects(_ entries: [LedgerEntry]) -> [String] {
        var done: [String] = []
        for case .networkNamespace(let path) in entries.reversed() where (try? FileSystem.lstat(path)) != nil {
            try? Mounts.unmount(path, flags: .detach)
            if (try? FileSystem.unlink(path)) != nil { done.append("removed network namespace \(path)") }
        }
        let names = entries.reversed().compactMap { entry -> String? in
            if case .link(let name) = entry { name } else { nil }
        }
        guard !names.isEmpty, let netlink = try? RouteNetlink() else { return done }
        for name in names where (try? netlink.deleteLink(.name(name))) != nil {
            done.append("deleted link \(name)")
        }
        return done
    }

    /// Directories BoxLab made only to mount on go when they carry its mark, no mount
    /// namespace (another session's sandbox) has a mount on them, and nothing was put in them.
    func removeMountPoints(_ entries: [LedgerEntry]) -> [String] {
        var done: [String] = []
        var seen = Set<String>()
        for case .mountPoint(let path, let made) in entries.reversed() where seen.insert(path).inserted {
            guard carriesMark(path, made: made ?? false), !isMountPointInAnyNamespace(path) else { continue }
            if (try? FileSystem.rmdir(path)) != nil { done.append("removed \(path)") }
        }
        return done
    }

    /// BoxLab's mark is on `path`; where its file system cannot carry one (tmpfs before
    /// 6.6), whether this run made it.
    private func carriesMark(_ path: String, made: Bool) -> Bool {
        do {
            _ = try FileSystem.getxattr(path, Sandbox.createdMark)
            return true
        } catch {
            return error.errno == .EOPNOTSUPP && made
        }
    }

    /// Whether any process's mount namespace has something mounted at `path`: removing the
    /// directory would detach it there.
    private func isMountPointInAnyNamespace(_ path: String) -> Bool {
        var checked = Set<UInt64>()
        for pid in ProcessTable.pids() {
            guard let namespace = ProcessTable.namespace("mnt", of: pid), checked.insert(namespace).inserted,
                  let table = try? MountTable.read(pid: pid) else { continue }
            if table.mount(at: path) != nil { return true }
        }
        return false
    }
}
