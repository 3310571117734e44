import Foundation
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

    /// Directories made only to mount on go if nothing else has been put in them.
    func removeMountPoints(_ entries: [LedgerEntry]) -> [String] {
        var done: [String] = []
        for case .mountPoint(let path) in entries.reversed() where (try? FileSystem.rmdir(path)) != nil {
            done.append("removed \(path)")
        }
        return done
    }
}
