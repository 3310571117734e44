/// The `IFF_*` flags of a link (`ifi_flags`): what `ip link` shows between `<` and `>`.
public struct InterfaceFlags: OptionSet, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt32

    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Administratively up: `ip link set X up`.
    public static let up = InterfaceFlags(rawValue: 0x1)
    public static let broadcast = InterfaceFlags(rawValue: 0x2)
    public static let debug = InterfaceFlags(rawValue: 0x4)
    public static let loopback = InterfaceFlags(rawValue: 0x8)
    public static let pointToPoint = InterfaceFlags(rawValue: 0x10)
    public static let noTrailers = InterfaceFlags(rawValue: 0x20)
    /// Up and with a carrier (operationally up); `ip` shows its absence as NO-CARRIER.
    public static let running = InterfaceFlags(rawValue: 0x40)
    public static let noARP = InterfaceFlags(rawValue: 0x80)
    public static let promiscuous = InterfaceFlags(rawValue: 0x100)
    public static let allMulticast = InterfaceFlags(rawValue: 0x200)
    public static let master = InterfaceFlags(rawValue: 0x400)
    public static let slave = InterfaceFlags(rawValue: 0x800)
    public static let multicast = InterfaceFlags(rawValue: 0x1000)
    public static let portSelect = InterfaceFlags(rawValue: 0x2000)
    public static let autoMedia = InterfaceFlags(rawValue: 0x4000)
    public static let dynamic = InterfaceFlags(rawValue: 0x8000)
    /// The layer below has a carrier: a veth whose peer is up, a bridge with a port up.
    public static let lowerUp = InterfaceFlags(rawValue: 0x10000)
    public static let dormant = InterfaceFlags(rawValue: 0x20000)
    public static let echo = InterfaceFlags(rawValue: 0x40000)

    /// In the order `ip link` prints them; RUNNING, which ip leaves out, last.
    private static let names: [(bits: UInt64, name: String)] = [
        (loopback, "LOOPBACK"), (broadcast, "BROADCAST"), (pointToPoint, "POINTOPOINT"), (multicast, "MULTICAST"),
        (noARP, "NOARP"), (allMulticast, "ALLMULTI"), (promiscuous, "PROMISC"), (noTrailers, "NOTRAILERS"),
        (debug, "DEBUG"), (dynamic, "DYNAMIC"), (autoMedia, "AUTOMEDIA"), (portSelect, "PORTSEL"),
        (master, "MASTER"), (slave, "SLAVE"), (up, "UP"), (lowerUp, "LOWER_UP"), (dormant, "DORMANT"),
        (echo, "ECHO"), (running, "RUNNING"),
    ].map { (UInt64($0.0.rawValue), $0.1) }

    /// The names, `["BROADCAST", "MULTICAST", "UP", "LOWER_UP"]`.
    public var names: [String] {
        let rendered = traceFlags(UInt64(rawValue), Self.names)
        return rendered == "0" ? [] : rendered.split(separator: "|").map(String.init)
    }

    /// `<BROADCAST,MULTICAST,UP,LOWER_UP>`.
    public var description: String { "<" + names.joined(separator: ",") + ">" }
}
