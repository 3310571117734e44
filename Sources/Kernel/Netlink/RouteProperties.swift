/// How far an address or route reaches (`RT_SCOPE_*`); `ip` calls universe "global".
public struct RouteScope: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt8

    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Anywhere: the scope of a route through a gateway.
    public static let universe = RouteScope(rawValue: 0)
    public static let site = RouteScope(rawValue: 200)
    /// The directly attached network: a route with no gateway.
    public static let link = RouteScope(rawValue: 253)
    /// This host only: 127.0.0.1, the local table.
    public static let host = RouteScope(rawValue: 254)
    /// Matches any scope in a delete request.
    public static let nowhere = RouteScope(rawValue: 255)

    /// `global`, `link`…, as `ip` prints them.
    public var description: String {
        switch rawValue {
        case 0: "global"
        case 200: "site"
        case 253: "link"
        case 254: "host"
        case 255: "nowhere"
        default: "\(rawValue)"
        }
    }
}

/// A routing table's number; `ip route` shows `main` unless told otherwise.
public struct RouteTable: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt32

    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let unspecified = RouteTable(rawValue: 0)
    public static let `default` = RouteTable(rawValue: 253)
    public static let main = RouteTable(rawValue: 254)
    /// Routes to the host's own and broadcast addresses, kept by the kernel.
    public static let local = RouteTable(rawValue: 255)

    /// `main`, `local`, `default`, or the number.
    public var description: String {
        switch rawValue {
        case 0: "unspec"
        case 253: "default"
        case 254: "main"
        case 255: "local"
        default: "\(rawValue)"
        }
    }
}

/// Who installed a route (`RTPROT_*`): `ip route add` says boot, the kernel says kernel.
public struct RouteProtocol: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt8

    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let unspecified = RouteProtocol(rawValue: 0)
    public static let redirect = RouteProtocol(rawValue: 1)
    /// Added when an address was: the route to the address's own network.
    public static let kernel = RouteProtocol(rawValue: 2)
    /// What `ip route add` sends when not told otherwise.
    public static let boot = RouteProtocol(rawValue: 3)
    public static let `static` = RouteProtocol(rawValue: 4)

    private static let names: [UInt8: String] = [
        0: "unspec", 1: "redirect", 2: "kernel", 3: "boot", 4: "static", 9: "ra", 16: "dhcp",
    ]

    /// `kernel`, `boot`…, as `ip` prints them.
    public var description: String { Self.names[rawValue] ?? "\(rawValue)" }
}

/// What a route does with a packet (`RTN_*`).
public struct RouteType: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt8

    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Matches any type in a delete request.
    public static let unspecified = RouteType(rawValue: 0)
    /// Forward it: a gateway or a directly attached network.
    public static let unicast = RouteType(rawValue: 1)
    /// It is for this host.
    public static let local = RouteType(rawValue: 2)
    public static let broadcast = RouteType(rawValue: 3)
    public static let multicast = RouteType(rawValue: 5)
    public static let blackhole = RouteType(rawValue: 6)
    public static let unreachable = RouteType(rawValue: 7)
    public static let prohibit = RouteType(rawValue: 8)

    private static let names = [
        "unspec", "unicast", "local", "broadcast", "anycast", "multicast", "blackhole", "unreachable",
        "prohibit", "throw", "nat", "xresolve",
    ]

    /// `unicast`, `local`…, as `ip` prints them.
    public var description: String { Int(rawValue) < Self.names.count ? Self.names[Int(rawValue)] : "\(rawValue)" }
}
