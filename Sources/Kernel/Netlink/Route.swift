/// A route as a dump reports it: what `ip route show` prints.
public struct Route: Sendable, Equatable, CustomStringConvertible {
    /// `0.0.0.0/0` or `::/0` for the default route.
    public var destination: IPPrefix
    public var gateway: IPAddress?
    /// The index of the link packets leave through.
    public var outputInterface: Int32?
    /// The source address for packets the host itself sends this way.
    public var preferredSource: IPAddress?
    public var metric: UInt32?
    public var table: RouteTable
    public var routeProtocol: RouteProtocol
    public var scope: RouteScope
    public var type: RouteType
    /// The gateway is taken to be on the output link (`onlink`), with no route to it.
    public var onlink: Bool

    /// Nil for a message with no destination family.
    public init?(_ message: RouteMessage) {
        guard let destination = message.destination else { return nil }
        self.destination = destination
        gateway = message.gateway
        outputInterface = message.outputInterface
        preferredSource = message.preferredSource
        metric = message.priority
        table = message.fullTable
        routeProtocol = message.routeProtocol
        scope = message.scope
        type = message.type
        onlink = message.isOnLink
    }

    public var family: AddressFamily { destination.family }

    /// `default via 10.0.0.254 dev 4`, `172.18.2.0/24 via 172.18.2.0 dev 5 onlink`, `10.0.0.0/24 dev 4 proto kernel scope link src 10.0.0.1`,
    /// in `ip route`'s words with link indexes for names.
    public var description: String {
        var words = [type == .unicast ? "" : type.description, destination.isDefault ? "default" : destination.description]
        if let gateway { words.append("via \(gateway)") }
        if let outputInterface { words.append("dev \(outputInterface)") }
        if table != .main { words.append("table \(table)") }
        if routeProtocol != .boot { words.append("proto \(routeProtocol)") }
        if scope != .universe { words.append("scope \(scope)") }
        if let preferredSource { words.append("src \(preferredSource)") }
        if let metric { words.append("metric \(metric)") }
        if onlink { words.append("onlink") }
        return words.filter { !$0.isEmpty }.joined(separator: " ")
    }
}
