/// `IFLA_OPERSTATE` (RFC 2863): whether a link can pass packets, which `ip link` shows
/// after `state`. A veth is DOWN until both ends are up; a bridge with no port up is DOWN.
public struct OperationalState: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt8

    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// What loopback and drivers that do not track carrier report.
    public static let unknown = OperationalState(rawValue: 0)
    public static let notPresent = OperationalState(rawValue: 1)
    public static let down = OperationalState(rawValue: 2)
    public static let lowerLayerDown = OperationalState(rawValue: 3)
    public static let testing = OperationalState(rawValue: 4)
    public static let dormant = OperationalState(rawValue: 5)
    public static let up = OperationalState(rawValue: 6)

    private static let names = ["UNKNOWN", "NOTPRESENT", "DOWN", "LOWERLAYERDOWN", "TESTING", "DORMANT", "UP"]

    /// `UP`, as `ip` prints it.
    public var description: String { Int(rawValue) < Self.names.count ? Self.names[Int(rawValue)] : "\(rawValue)" }
}
