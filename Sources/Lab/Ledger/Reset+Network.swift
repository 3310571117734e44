import FoundationEssentials
import Kernel

extension Reset {
    /// Host mode's network objects, newest first: namespaces (their links go with them) and
    /// names in /run/netns, then the links made in the host's namespace. Each only when it is
    /// still the object journaled: the namespace bound on the file, the symbolic link's
    /// inode, the link's index under its name.
    func removeNetworkObjects(_ entries: [LedgerEntry]) -> [String] {
        var done: [String] = []
        let table = try? MountTable.read()
        for entry in entries.reversed() {
            switch entry {
            case .networkNamespace(let path, let inode):
                guard let found = try? FileSystem.lstat(path) else { continue }
                guard places.isNamespaceName(path) else { done.append("left \(path): not a name in \(Sandbox.networkNamespaces)"); continue }
                guard table?.mount(at: path)?.fstype == "nsfs", (try? FileSystem.stat(path))?.inode == inode else {
                    // A crash between creating the file and binding the namespace leaves it empty.
                    if found.type != .regular || found.size != 0 || table?.mount(at: path) != nil {
                        done.append("left network namespace \(path): not the one BoxLab made")
                    }
                    continue
                }
                if unbindNamespace(path) { done.append("removed network namespace \(path)") }
            case .namespaceLink(let path, let inode):
                guard let found = try? FileSystem.lstat(path) else { continue }
                guard places.isNamespaceName(path), found.type == .symlink, found.inode == inode else {
                    done.append("left \(path): not the one BoxLab made")
                    continue
                }
                if (try? FileSystem.unlink(path)) != nil { done.append("removed \(path)") }
            default: continue
            }
        }
        return done + removeLinks(entries)
    }

    /// Unbinds the namespace kept at `path` (never through a symbolic link there) and removes
    /// the file; the namespace goes with its last process or descriptor. True when the file went.
    func unbindNamespace(_ path: String) -> Bool {
        try? Mounts.unmount(path, flags: [.detach, .noFollow])
        return (try? FileSystem.lstat(path))?.type == .regular && (try? FileSystem.unlink(path)) != nil
    }

    /// Links journaled with their index are deleted by index when that link still has the
    /// name; a name journaled only as an intent (BoxLab stopped between the check and the
    /// index) cannot be told from a link someone else made since, so it is only reported.
    private func removeLinks(_ entries: [LedgerEntry]) -> [String] {
        var indexed: [(name: String, index: Int32)] = []
        var intended: [String] = []
        for case .link(let name, let index) in entries.reversed() {
            if let index { indexed.append((name, index)) } else { intended.append(name) }
        }
        guard !indexed.isEmpty || !intended.isEmpty, let netlink = try? RouteNetlink() else { return [] }
        var done: [String] = []
        for (name, index) in indexed {
            if (try? netlink.link(.index(index)))?.name == name {
                if (try? netlink.deleteLink(.index(index))) != nil { done.append("deleted link \(name)") }
            } else if (try? netlink.link(.name(name))) != nil {
                done.append("left link \(name): not the one BoxLab made")
            }
        }
        for name in Set(intended).subtracting(indexed.map(\.name)).sorted() where (try? netlink.link(.name(name))) != nil {
            done.append("left link \(name): BoxLab stopped while making it and cannot tell it is its own (`ip link del \(name)` if it is)")
        }
        return done
    }

    /// Directories BoxLab made only to mount on go when they carry its mark, no mount
    /// namespace (another session's sandbox) has a mount on them, and nothing was put in them.
    func removeMountPoints(_ entries: [LedgerEntry]) -> [String] {
        var done: [String] = []
        var seen = Set<String>()
        for case .mountPoint(let path, _) in entries.reversed() where path == Sandbox.networkNamespaces && seen.insert(path).inserted {
            // Made by this run if any of its entries says so: later ones found it there.
            let made = entries.contains { if case .mountPoint(path, true) = $0 { true } else { false } }
            guard carriesMark(path, made: made), !isMountPointInAnyNamespace(path) else { continue }
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
