import Kernel

/// The network namespaces a lab talks about: `host` (the one the session works in — the
/// sandbox's own, or the machine's with --host) and the named ones in /run/netns.
///
/// Sockets are opened per use and not kept: a netlink socket holds its namespace alive, and
/// `ip netns del` must really free a namespace (and the veth peers in it).
public struct NetworkPlaces: Sendable {
    public static let host = "host"
    public let namespaces = NetworkNamespaces(directory: Sandbox.networkNamespaces)

    public init() {}

    /// An rtnetlink client for the namespace called `name`.
    public func netlink(_ name: String) throws(KernelError) -> RouteNetlink {
        if name == NetworkPlaces.host { return try RouteNetlink() }
        return try RouteNetlink(in: try namespaces.open(name))
    }

    /// Runs `body` on a thread inside the namespace called `name` (sockets it opens stay there).
    public func perform<R>(in name: String, _ body: () throws(KernelError) -> R) throws(KernelError) -> R {
        if name == NetworkPlaces.host { return try body() }
        return try namespaces.open(name).perform(body)
    }

    /// `host` and every named namespace, for snapshots and pictures.
    public func all() -> [String] {
        [NetworkPlaces.host] + ((try? namespaces.list()) ?? [])
    }
}
