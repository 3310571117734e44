/// An entry of the ARP or IPv6 neighbour table: which link-layer address an IP address on
/// a link has. What `ip neigh show` prints.
public struct Neighbour: Sendable, Equatable, CustomStringConvertible {
    /// The link's index.
    public var index: Int32
    public var address: IPAddress
    /// Nil while the address is being resolved, or when resolution failed.
    public var linkAddress: MACAddress?
    public var state: NeighbourState
    public var flags: NeighbourFlags

    /// Nil for a message with no IP address (a forwarding database entry).
    public init?(_ message: NeighbourMessage) {
        guard let address = message.destination else { return nil }
        index = message.index
        self.address = address
        linkAddress = message.linkAddress
        state = message.state
        flags = message.flags
    }

    /// `10.0.0.254 dev 4 lladdr 02:00:00:00:00:fe PERMANENT`.
    public var description: String {
        "\(address) dev \(index)" + (linkAddress.map { " lladdr \($0)" } ?? "") + " \(state)"
    }
}

/// An entry of a bridge's forwarding database, or of a port's own list of addresses it
/// accepts: which MAC is behind which port. What `bridge fdb show` prints.
public struct BridgeFDBEntry: Sendable, Equatable, CustomStringConvertible {
    public var linkAddress: MACAddress
    /// The port's index.
    public var port: Int32
    /// The bridge's index, for entries in a bridge's table.
    public var master: Int32?
    public var vlan: UInt16?
    /// For a VXLAN port: the remote host frames to this MAC are tunnelled to.
    public var destination: IPAddress?
    /// PERMANENT for the bridge's and the ports' own addresses, NOARP for entries added by
    /// hand, REACHABLE or STALE for learned ones.
    public var state: NeighbourState
    /// `.own` for a port's own list (`self`), `.master` for the bridge's.
    public var flags: NeighbourFlags

    public init?(_ message: NeighbourMessage) {
        guard message.family == .bridge, let linkAddress = message.linkAddress else { return nil }
        self.linkAddress = linkAddress
        port = message.index
        master = message.master
        vlan = message.vlan
        destination = message.destination
        state = message.state
        flags = message.flags
    }

    /// A MAC of the bridge or the port itself: `bridge fdb` says `permanent`.
    public var isPermanent: Bool { state.contains(.permanent) }

    /// Added by hand (`bridge fdb add … static`), never ages out: `bridge fdb` says `static`.
    public var isStatic: Bool { !isPermanent && state.contains(.noARP) }

    /// `02:00:00:00:00:aa dev 3 master 4 static`, in `bridge fdb`'s words with indexes for names.
    public var description: String {
        var words = ["\(linkAddress) dev \(port)"]
        if let vlan { words.append("vlan \(vlan)") }
        if let destination { words.append("dst \(destination)") }
        if let master { words.append("master \(master)") }
        if flags.contains(.own) { words.append("self") }
        if isPermanent { words.append("permanent") }
        if isStatic { words.append("static") }
        return words.joined(separator: " ")
    }
}
