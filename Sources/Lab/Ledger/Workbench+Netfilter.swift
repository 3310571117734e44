import Kernel

/// Every change BoxLab makes to nf_tables goes through here, so that what a command adds can
/// be journaled where it must be removed again (host mode). In a sandbox the tables die with
/// its network namespace, and the batch is simply committed.
extension Workbench {
    /// Commits `messages` as one nf_tables batch in the network namespace the session calls
    /// `namespace` (`NetworkPlaces.host` for its own).
    func committingNetfilter(_ messages: [NetlinkMessage], in namespace: String) throws(KernelError) {
        try places.nfTables(namespace).commit(messages)
    }
}
