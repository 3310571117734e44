import Kernel
import Testing

/// A conversation between iproute2 (or nft, iptables-nft) and the kernel, captured with
/// strace in a throwaway network namespace (Fixtures/netlink-*.hex, nft-*.hex): each
/// datagram the tool sent (`>`) and received (`<`).
struct NetlinkFixture {
    var sent: [[UInt8]] = []
    var received: [[UInt8]] = []

    init(_ name: String, file prefix: String = "netlink") throws {
        var current: (sent: Bool, bytes: [UInt8])?
        func finish() {
            guard let datagram = current else { return }
            if datagram.sent { sent.append(datagram.bytes) } else { received.append(datagram.bytes) }
        }
        for line in try fixture("\(prefix)-\(name).hex").split(separator: "\n") where !line.hasPrefix("#") {
            if line == ">" || line == "<" {
                finish()
                current = (line == ">", [])
            } else {
                for word in line.split(separator: " ") {
                    var hex = Substring(word)
                    while !hex.isEmpty {
                        current!.bytes.append(try #require(UInt8(hex.prefix(2), radix: 16)))
                        hex = hex.dropFirst(2)
                    }
                }
            }
        }
        finish()
    }

    /// The messages `ip` sent, one a datagram, without the zeros of the buffer some of them
    /// were sent in.
    var requests: [[UInt8]] {
        sent.map { datagram in
            let length = datagram[0..<4].withUnsafeBytes { Int($0.loadUnaligned(as: UInt32.self)) }
            return Array(datagram.prefix((length + 3) & ~3))
        }
    }

    /// The last request `ip` sent: the one that does the work (those before look names up).
    var request: [UInt8] { requests.last! }

    /// The messages of the last datagram `ip` received: the answer to `request`.
    func reply() throws -> [NetlinkMessage] {
        try NetlinkMessage.decode(received.last!)
    }

    /// Every message `ip` received, in order.
    func allReplies() throws -> [NetlinkMessage] {
        try received.flatMap { datagram throws in try NetlinkMessage.decode(datagram) }
    }
}

/// A request's bytes with its sequence number and port id zeroed: `ip` numbers requests by
/// the time of day.
func unnumbered(_ bytes: [UInt8]) -> [UInt8] {
    var bytes = bytes
    bytes.replaceSubrange(8..<16, with: repeatElement(0, count: 8))
    return bytes
}

/// The link indexes the fixtures' namespaces had.
func fixtureIndex(_ reference: LinkReference) throws(KernelError) -> Int32 {
    switch reference {
    case .index(let index): return index
    case .name(let name):
        guard let index = (["lo": 1, "vB": 2, "vA": 3, "br0": 4] as [String: Int32])[name] else {
            throw KernelError(call: "RTM_GETLINK", arguments: [name], errno: .ENODEV)
        }
        return index
    }
}
