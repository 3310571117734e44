/// Where the view's page is served: `127.0.0.1:7070` unless asked otherwise (`PORT`,
/// `HOST:PORT`; port 0 takes any free one). A learner's VM viewed from its host listens on
/// `0.0.0.0:PORT`.
public struct ViewAddress: Sendable, Equatable, CustomStringConvertible {
    public static let standard = ViewAddress(host: "127.0.0.1", port: 7070)

    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    public init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        switch parts.count {
        case 1 where Int(parts[0]) != nil:
            host = ViewAddress.standard.host
            port = Int(parts[0])!
        case 1:
            host = parts[0]
            port = ViewAddress.standard.port
        case 2:
            guard let port = Int(parts[1]) else { return nil }
            host = parts[0].isEmpty ? ViewAddress.standard.host : parts[0]
            self.port = port
        default:
            return nil
        }
        guard (0...65535).contains(port), !host.isEmpty, host.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" }) else { return nil }
    }

    public var description: String { "\(host):\(port)" }

    /// Whether the page is served to this machine only: then a request must name the server
    /// as this machine does (a page elsewhere that rebinds a name of its own to 127.0.0.1
    /// is refused).
    var loopbackOnly: Bool { host == "localhost" || host.hasPrefix("127.") }
}
