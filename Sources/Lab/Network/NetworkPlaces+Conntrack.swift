import Kernel

extension NetworkPlaces {
    /// A client of the connection tracking table of the namespace called `name`.
    public func conntrack(_ name: String) throws(KernelError) -> Conntrack {
        try perform(in: name) { () throws(KernelError) in try Conntrack() }
    }
}
