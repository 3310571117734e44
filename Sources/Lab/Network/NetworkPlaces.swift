import Kernel

/// The network namespaces a lab talks about: `host` (the one the session works in — the
/// sandbox's own, or the machine's with --host), the named ones in /run/netns, a process's
/// (`$c1`, a variable naming a pid, in expectations) and namespace files by path
/// (`nsenter -t PID -n` acts in /proc/PID/ns/net).
///
/// Sockets are opened per use and not kept: a netlink socket holds its namespace alive, and
/// `ip netns del` must really free a namespace (and the veth peers in it).
public struct NetworkPlaces: Sendable {
    public static let host = "host"
    public let namespaces = NetworkNamespaces(directory: Sandbox.networkNamespaces)
    /// Where `$NAME` places are looked up; without them only names and paths work.
    public var variables: Variables?

    public init(variables: Variables? = nil) {
        self.variables = variables
    }

    /// The namespace file of the place called `name`. `$NAME` is the namespace of the process
    /// whose pid the variable holds; a variable that holds no pid names nothing but itself,
    /// whose file the kernel then does not find (the Evaluator says first which variable is
    /// not set).
    public func path(of name: String) -> String {
        if name == NetworkPlaces.host { return "/proc/thread-self/ns/net" }
        if name.hasPrefix("/") { return name }
        if name.hasPrefix("$"), let pid = variables?.value(String(name.dropFirst())).flatMap({ Int32($0) }) {
            return "/proc/\(pid)/ns/net"
        }
        return namespaces.path(of: name)
    }

    /// The namespace file of the place called `name`, held open.
    func open(_ name: String) throws(KernelError) -> NetworkNamespace {
        if name == NetworkPlaces.host || name.hasPrefix("/") || name.hasPrefix("$") { return try NetworkNamespace.open(path(of: name)) }
        return try namespaces.open(name)
    }

    /// An rtnetlink client for the namespace called `name`.
    public func netlink(_ name: String) throws(KernelError) -> RouteNetlink {
        if name == NetworkPlaces.host { return try RouteNetlink() }
        return try RouteNetlink(in: try open(name))
    }

    /// An nf_tables client for the namespace called `name`.
    public func nfTables(_ name: String) throws(KernelError) -> NFTables {
        if name == NetworkPlaces.host { return try NFTables() }
        return try NFTables(in: try open(name))
    }

    /// The iptables-legacy (x_tables) tables of the namespace called `name`, which
    /// nf_tables' dumps do not show; nil when there are none.
    func iptablesLegacyTables(in name: String) -> String? {
        let names = try? Trace.untraced { () throws(KernelError) in
            try perform(in: name) { () throws(KernelError) in try FileSystem.readFile("/proc/thread-self/net/ip_tables_names") }
        }
        let tables = names.map { String(decoding: $0, as: UTF8.self).split(separator: "\n").joined(separator: ", ") } ?? ""
        return tables.isEmpty ? nil : tables
    }

    /// Runs `body` on a thread inside the namespace called `name` (sockets it opens stay there).
    public func perform<R>(in name: String, _ body: () throws(KernelError) -> R) throws(KernelError) -> R {
        if name == NetworkPlaces.host { return try body() }
        return try open(name).perform(body)
    }

    /// `host` and every named namespace, for snapshots and pictures.
    public func all() -> [String] {
        [NetworkPlaces.host] + ((try? namespaces.list()) ?? [])
    }
}
