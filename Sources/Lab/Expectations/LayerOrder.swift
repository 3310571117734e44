import Kernel

extension Evaluator {
    /// Why a file seen through an overlay mount is not hidden: the layer holding it is listed
    /// in lowerdir before the layer whose whiteout should hide it (the first is the top).
    func layerOrderCause(_ path: String) -> String? {
        let target = absolute(path)
        guard let entry = mounts.entries.last(where: { $0.fstype == "overlay" && target.hasPrefix($0.mountPoint + "/") }),
              let lowerdir = entry.superOption("lowerdir") else { return nil }
        let inside = String(target.dropFirst(entry.mountPoint.count + 1))
        let layers = mountedPaths(lowerdir)
        let found = layers.map { try? FileSystem.lstat($0 + "/" + inside) }
        guard let shown = found.firstIndex(where: { $0 != nil && !$0!.isWhiteout }),
              let hiding = found.firstIndex(where: { $0?.isWhiteout == true }), hiding > shown else { return nil }
        let top = workspace.relative(layers[shown]), beneath = workspace.relative(layers[hiding])
        return "lowerdir lists \(top) before \(beneath): the first lowerdir is the top layer, so \(beneath)'s whiteout of \(inside) lies beneath \(top)'s file"
    }

    /// Why a mount is here that the learner meant to keep in another mount namespace.
    func propagationCause(_ inner: Expectation) -> String? {
        guard case .mount(let path, _, _, _, _) = inner, let group = mounts.mount(at: absolute(path))?.peerGroup else { return nil }
        return "\(path) is shared (peer group \(group)): a mount made in another mount namespace of its group appears here too; `mount --make-rprivate /` there before mounting keeps it in; `umount \(path)` removes it"
    }
}
