/// An ICMP message's header (RFC 792): its type and code, and for an echo its identifier and
/// sequence number, which tie a reply to its request.
public struct ICMPMessage: Sendable, Equatable, CustomStringConvertible {
    public var type: UInt8
    public var code: UInt8
    /// Echo requests and replies only.
    public var echo: (identifier: UInt16, sequence: UInt16)?

    public static let echoReply: UInt8 = 0
    public static let echoRequest: UInt8 = 8

    /// The message in `bytes`, or nil when they hold less than its 8-byte header.
    public init?(_ bytes: [UInt8]) {
        guard let type = bytes.byte(at: 0), let code = bytes.byte(at: 1),
              let identifier = bytes.bigEndian16(at: 4), let sequence = bytes.bigEndian16(at: 6) else { return nil }
        self.type = type
        self.code = code
        echo = type == ICMPMessage.echoRequest || type == ICMPMessage.echoReply ? (identifier, sequence) : nil
    }

    public var isEchoRequest: Bool { type == ICMPMessage.echoRequest }

    /// `echo request, id 7, seq 1`; other types by name where tcpdump names them.
    public var description: String {
        if let echo { return "echo \(isEchoRequest ? "request" : "reply"), id \(echo.identifier), seq \(echo.sequence)" }
        switch type {
        case 3: return "destination unreachable, code \(code)"
        case 11: return "time exceeded, code \(code)"
        default: return "type \(type), code \(code)"
        }
    }

    public static func == (lhs: ICMPMessage, rhs: ICMPMessage) -> Bool {
        lhs.type == rhs.type && lhs.code == rhs.code && lhs.echo?.identifier == rhs.echo?.identifier && lhs.echo?.sequence == rhs.echo?.sequence
    }
}
