/// Why bytes are not a netlink message: the kernel never sends such bytes, so this is a
/// fixture or a reader out of step with the stream.
public struct NetlinkDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String

    init(_ description: String) { self.description = description }
}
