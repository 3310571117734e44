import Kernel

/// What a command makes on the host (host mode) is journaled once it exists, with what
/// identifies it, so that `reset` removes that object and never another one found at the same
/// path or name. In a sandbox these objects die with its namespaces and nothing is journaled.
extension Workbench {
    /// Mounts with `make`, then journals the mount that `make` put on top at `target`. A call
    /// that left the top mount as it was (a remount) journals nothing: that mount is not ours.
    /// A crash before the line is written leaves the mount to reset's sweep of the run directory.
    func mounting(_ target: String, _ make: () throws(KernelError) -> Void) throws(KernelError) {
        guard isolation == .host else { return try make() }
        let before = topMount(at: target)?.mountID
        try make()
        try journalMount(at: target, over: before)
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

    /// `ln -s` of a name in /run/netns (`path`, already checked to be one): in host mode the
    /// symbolic link is journaled with its inode once `make` made it. Other paths (nil) are
    /// the workspace's.
    func linkingNamespace(_ path: String?, _ make: () throws(KernelError) -> Void) throws(KernelError) {
        guard isolation == .host, let path else { return try make() }
        try Sandbox.prepareMountPoints(ledger: ledger)
        try make()
        try ledger.record(.namespaceLink(path: path, inode: try Trace.untraced { () throws(KernelError) in try FileSystem.lstat(path).inode }))
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
