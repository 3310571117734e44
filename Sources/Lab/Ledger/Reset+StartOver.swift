import Kernel

extension Reset {
    /// A lab starting over (`Workbench.open`: opened again, `goto` back, `reset --to`): the
    /// programs its commands started end, and what the earlier attempt made in the network
    /// goes, so that replaying its steps makes it anew (`ip netns add red` finds no `red`).
    /// On the host, only the journaled objects, as `reset` removes them; the run directory,
    /// the sandbox and the mounts stay the session's. In the REPL's session sandbox, its network
    /// namespace is all its own (`Sandbox.ownsNetworkNamespaces`): every name in /run/netns,
    /// every link but `lo`, the whole nf_tables ruleset. Then the records of user-defined
    /// networks and of the containers that ended. Returns a line per object removed or left,
    /// none when there was nothing.
    @discardableResult
    public func startOver(_ isolation: Isolation) -> [String] {
        Trace.untraced {
            var done = killPrograms()
            switch isolation {
            case .host:
                done += removeJournaledNetwork(Ledger(path: run.ledger).entries())
            case .session where Sandbox.ownsNetworkNamespaces():
                done += removeNamespaceNames() + removeRuleset() + removeAllLinks()
            case .session:
                done.append("left the network as it is: \(Sandbox.networkNamespaces) is not a BoxLab sandbox's, so its namespaces may not be the session's")
            case .private:
                // A batch run opens its lab once, in a sandbox just made; in-process users of
                // a private workbench (the bench) share a sandbox whose network is not theirs.
                break
            }
            return done + forgetNetworkRecords()
        }
    }

    /// The host's network objects in the ledger: netfilter objects, net.* parameters set
    /// back, then namespaces, names in /run/netns and links (`perform` and `startOver`).
    func removeJournaledNetwork(_ entries: [LedgerEntry]) -> [String] {
        removeNetfilterObjects(entries) + restoreSysctls(entries) + removeNetworkObjects(entries)
    }

    /// Every name in the sandbox's /run/netns: a namespace's file unbound and removed, a
    /// symbolic link (`ln -s /proc/PID/ns/net`) removed.
    private func removeNamespaceNames() -> [String] {
        let namespaces = NetworkNamespaces(directory: Sandbox.networkNamespaces)
        var done: [String] = []
        for name in (try? namespaces.list()) ?? [] {
            let path = namespaces.path(of: name)
            switch (try? FileSystem.lstat(path))?.type {
            case .regular?: if unbindNamespace(path) { done.append("removed network namespace \(path)") }
            case .symlink?: if (try? FileSystem.unlink(path)) != nil { done.append("removed \(path)") }
            default: done.append("left \(path): not a namespace's name")
            }
        }
        return done
    }

    /// Every link of the sandbox's namespace but `lo`: veth ends (the peer goes too), bridges,
    /// VXLAN, macvlan… A link the kernel keeps (the fallback tunnels a namespace gets while
    /// their modules are loaded: tunl0, sit0) stays, unreported.
    private func removeAllLinks() -> [String] {
        guard let netlink = try? RouteNetlink(), let links = try? netlink.links() else { return [] }
        var done: [String] = []
        for link in links where link.name != "lo" {
            try? netlink.deleteLink(.index(link.index))
            if (try? netlink.link(.index(link.index))) == nil { done.append("deleted link \(link.name)") }
        }
        return done
    }

    /// The records of user-defined networks, whose bridges went with the links, and the
    /// directories of containers no longer running (the programs were killed first); one
    /// with something still mounted below it is left.
    private func forgetNetworkRecords() -> [String] {
        var done: [String] = []
        for network in UserNetwork.all(run) where (try? UserNetwork.forget(run, network.name)) != nil {
            done.append("forgot network \(network.name)")
        }
        for name in ((try? FileSystem.listDirectory(run.containers)) ?? []).sorted()
        where !(ContainerState.load(run.containers, name)?.isRunning ?? false) {
            let directory = run.containers + "/" + name
            if stillHoldsMounts(directory) {
                done.append("left \(directory): something is still mounted below it")
            } else if (try? FileSystem.removeTree(directory)) != nil {
                done.append("removed \(directory)")
            }
        }
        return done
    }
}
