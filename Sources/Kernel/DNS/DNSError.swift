/// Why bytes are not a DNS message BoxLab can read, in one sentence naming the offset.
public struct DNSError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
