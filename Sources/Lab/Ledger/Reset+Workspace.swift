import Kernel

extension Reset {
    /// The disk workspaces journaled for this run directory that are still there with the
    /// device and inode they were made with: removed with everything the sandbox's root put
    /// in them (links, device nodes, deep trees), each name reached from its parent's
    /// descriptor without following a symbolic link, so nothing outside is touched.
    func removeWorkspaces(_ entries: [LedgerEntry]) -> [String] {
        var done: [String] = []
        var seen = Set<String>()
        for case .workspace(let path, let device, let inode) in entries.reversed() where seen.insert(path).inserted {
            guard (try? FileSystem.lstat(path)) != nil else { continue }
            guard places.isWorkspacePlace(path) else {
                done.append("left \(path): not a workspace BoxLab makes for this run directory")
                continue
            }
            if stillHoldsMounts(path) {
                done.append("left \(path): something is still mounted below it")
                continue
            }
            let slash = path.lastIndex(of: "/")!
            let parentPath = slash == path.startIndex ? "/" : String(path[..<slash])
            let name = String(path[path.index(after: slash)...])
            do throws(KernelError) {
                let parent = try OpenDirectory.open(parentPath)
                // Nothing was written through the descriptor, so a failing close loses nothing.
                defer { try? parent.close() }
                let found = try FileSystem.lstat(name, in: parent)
                guard found.type == .directory, found.device.description == device, found.inode == inode else {
                    done.append("left \(path): not the one BoxLab made")
                    continue
                }
                try FileSystem.removeTree(name, in: parent)
                done.append("removed \(path)")
            } catch {
                done.append("left \(path): \(error)")
            }
        }
        return done
    }
}
