import Kernel

/// What a command makes on the host (host mode) is journaled once it exists, with what
/// identifies it, so that `reset` removes that object and never another one found at the same
/// path or name. In a sandbox these objects die with its namespaces and nothing is journaled.
extension Workbench {
    /// Makes `operation` with `make`, journaling what reset must undo:
    /// - a mount: the mount that `make` put on top at its target. A call that left the top
    ///   mount as it was (a remount, a change of propagation) journals nothing: that mount is not
    ///   ours. A crash before the line is written leaves the mount to reset's sweep of the run
    ///   directory.
    /// - a symbolic link in /run/netns (its name already checked): the link with its inode.
    /// Everything else is the workspace's, which reset removes whole.
    func journaling(_ operation: SetupOperation, _ make: () throws -> Void) throws {
        guard isolation == .host else { return try make() }
        switch operation {
        case let .mount(_, target, _, _, _):
            let before = topMount(at: target)?.mountID
            try make()
            try journalMount(at: target, over: before)
        case let .symlink(_, path) where Self.namespaceName(ofLink: path) != nil:
            try Sandbox.prepareMountPoints(ledger: ledger)
            try make()
            try ledger.record(.namespaceLink(path: path, inode: try Trace.untraced { () throws(KernelError) in try FileSystem.lstat(path).inode }))
        default: try make()
        }
    }

    /// The network namespace a symbolic link at `path` (a path BoxLab hands the kernel) names:
    /// a link in /run/netns is one to `ip -n`.
    static func namespaceName(ofLink path: String) -> String? {
        path.hasPrefix(Sandbox.networkNamespaces + "/") ? String(path.dropFirst(Sandbox.networkNamespaces.count + 1)) : nil
    }

    /// `ip netns add NAME` (the name already checked): in host mode the namespace's inode is
    /// journaled before its file is bound, and the mount iproute2 makes of /run/netns the
    /// first time is journaled after it.
    func addNamespace(_ name: String, in namespaces: NetworkNamespaces) throws(KernelError) {
        guard isolation == .host else { return try namespaces.add(name) }
        let directoryWasMounted = topMount(at: namespaces.directory) != nil
        if !directoryWasMounted { try Sandbox.prepareMountPoints(ledger: ledger) }
        let path = namespaces.path(of: name)
        let ledger = ledger
        try namespaces.add(name) { inode throws(KernelError) in try ledger.record(.networkNamespace(path: path, inode: inode)) }
        if !directoryWasMounted { try journalMount(at: namespaces.directory, over: nil) }
    }

    /// Makes a link with `make`. In host mode, in the host's own namespace, it is only made
    /// when no link has that name (reset must never delete a link that was not ours): one
    /// there already is a `LinkTaken`, and no request goes out. The name is journaled first as
    /// an intent (reset reports it, never deletes by name), then with the link's index. Links
    /// in named namespaces go with the namespace.
    func creatingLink(_ name: String, in namespace: String, netlink: RouteNetlink, _ make: () throws(KernelError) -> Void) throws {
        guard isolation == .host, namespace == NetworkPlaces.host else { return try make() }
        if (try? Trace.untraced({ () throws(KernelError) in try netlink.link(.name(name)) })) != nil { throw LinkTaken(name: name) }
        try ledger.record(.link(name: name))
        try make()
        let index = try Trace.untraced { () throws(KernelError) in try netlink.link(.name(name)).index }
        try ledger.record(.link(name: name, index: index))
    }

    /// Journals the mount on top at `target` unless it is still `before` (the id of the one
    /// that was there).
    private func journalMount(at target: String, over before: Int?) throws(KernelError) {
        guard let top = topMount(at: target), top.mountID != before else { return }
        try ledger.record(.mount(target: target, mountID: top.mountID, device: top.device.description))
    }

    private func topMount(at target: String) -> MountInfoEntry? {
        Trace.untraced { (try? MountTable.read())?.mount(at: target) }
    }
}
