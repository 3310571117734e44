/// Where in the kernel's path of a packet a base chain is called (`NF_INET_*`): on arrival
/// (prerouting), for this host (input), passing through (forward), from this host
/// (output), on departure (postrouting).
public struct NFTHook: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt32

    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let prerouting = NFTHook(rawValue: 0)
    public static let input = NFTHook(rawValue: 1)
    public static let forward = NFTHook(rawValue: 2)
    public static let output = NFTHook(rawValue: 3)
    public static let postrouting = NFTHook(rawValue: 4)

    private static let names = ["prerouting", "input", "forward", "output", "postrouting"]

    public var description: String { rawValue < 5 ? Self.names[Int(rawValue)] : "hook\(rawValue)" }
}
