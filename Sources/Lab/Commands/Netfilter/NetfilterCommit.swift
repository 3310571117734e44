import Kernel

extension Invocation {
    /// Sends `messages` as one nf_tables batch where the command acts (through
    /// `Workbench.committingNetfilter`); a refusal is one line with the kernel's errno and what
    /// was wrong. The machine's own firewall (the session's namespace with --host; a sandbox,
    /// even the trusted flavour, has a network namespace of its own) is changed only by a lab
    /// that may reach the machine, as machine-wide sysctls are.
    func commitNetfilter(_ messages: [NetlinkMessage], _ doing: String) throws {
        if namespace == NetworkPlaces.host, reach == .session, workbench.isolation == .host {
            throw failure("\(doing): this namespace's nf_tables is the machine's firewall",
                          cause: "a lab may change it only with --host when it is one of BoxLab's own or given --trust; namespaces the lab makes (ip netns add) are its own")
        }
        do { try workbench.committingNetfilter(messages, in: namespace) } catch {
            throw failure(doing, error, cause: error.detail ?? (error.errno == .EPERM ? "nf_tables needs CAP_NET_ADMIN" : "the kernel refused it"))
        }
    }
}
