/// An address of a link as a dump reports it: what `ip address show` prints.
public struct Address: Sendable, Equatable, CustomStringConvertible {
    /// The link's index.
    public var index: Int32
    /// The address with the length of its network's prefix, `10.0.0.1/24`.
    public var prefix: IPPrefix
    /// The other end of a point-to-point link, when it differs from the address.
    public var peer: IPAddress?
    public var broadcast: IPAddress?
    /// IPv4 only: the link's name, or `name:alias`.
    public var label: String?
    public var scope: RouteScope
    public var flags: AddressFlags

    /// Nil for a message with no address in it.
    public init?(_ message: AddressMessage) {
        guard let own = message.local ?? message.address,
              let prefix = IPPrefix(address: own, length: message.prefixLength) else { return nil }
        index = Int32(bitPattern: message.index)
        self.prefix = prefix
        peer = message.local != nil && message.address != message.local ? message.address : nil
        broadcast = message.broadcast
        label = message.label
        scope = message.scope
        flags = message.allFlags
    }

    public var family: AddressFamily { prefix.family }

    /// `inet 10.0.0.1/24 scope global index 4`.
    public var description: String {
        var words = [family == .inet ? "inet" : "inet6", prefix.description]
        if let peer { words.append("peer \(peer)") }
        if let broadcast { words.append("brd \(broadcast)") }
        words.append("scope \(scope)")
        words.append("index \(index)")
        if flags != [] { words.append(flags.description) }
        return words.joined(separator: " ")
    }
}
