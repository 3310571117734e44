import Kernel

extension Workbench {
    /// Sets the parameter at `path` (`name`, already checked) from a thread in the namespace
    /// it belongs to. In host mode a net.* parameter of the host's own namespace is journaled
    /// first with the value it had before BoxLab's first change, which `reset` puts back.
    func settingSysctl(_ name: String, at path: String, to value: String, in namespace: String) throws(KernelError) {
        if isolation == .host, namespace == NetworkPlaces.host, name.hasPrefix("net.") {
            var original: String?
            for case .sysctl(name, let first, _) in ledger.entries() {
                original = first
                break
            }
            if original == nil { original = try KernelParameter.read(path) }
            try ledger.record(.sysctl(name: name, original: original ?? "", value: KernelParameter.normalized(value)))
        }
        try KernelParameter.write(path, value)
    }
}
