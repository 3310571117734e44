import Kernel

/// `captured vxlan vni N inner icmp from NS to ADDRESS on NS:LINK`: an echo request sent from
/// the first namespace to ADDRESS crosses LINK wrapped in VXLAN with that VNI (UDP to port 8472
/// or 4789). The check is active, as `reach` is: it captures on the link while it sends the echo.
public struct CaptureExpectation: Sendable, Equatable {
    public var vni: UInt32
    /// The namespace the echo is sent from (its addresses are the inner source).
    public var from: String
    public var address: String
    /// Where the frame is looked for.
    public var namespace: String
    public var link: String

    static let form = "captured vxlan vni N inner icmp from NS to ADDRESS on NS:LINK"

    var subject: String { "captured \(from)->\(address) on \(namespace):\(link)" }

    static func parse(_ words: [String]) throws(ExpectationError) -> Expectation {
        func fail(_ message: String) -> ExpectationError { ExpectationError(message: message, form: form) }
        func expect(_ keyword: String, at index: Int, after: String) throws(ExpectationError) {
            guard words.indices.contains(index), words[index] == keyword else { throw fail("after \(after), expected \(keyword)") }
        }
        guard words.first == "vxlan" else { throw fail("captured knows one kind of frame: vxlan") }
        try expect("vni", at: 1, after: "vxlan")
        guard words.count > 2, let vni = UInt32(words[2]), vni < 1 << 24 else { throw fail("the VNI is a number from 0 to 16777215") }
        try expect("inner", at: 3, after: "vni \(vni)")
        try expect("icmp", at: 4, after: "inner")
        try expect("from", at: 5, after: "icmp")
        guard words.count > 6 else { throw fail("after from, expected the namespace the echo is sent from") }
        try expect("to", at: 7, after: "from \(words[6])")
        guard words.count > 8, let address = IPAddress(words[8]), address.family == .inet else { throw fail("after to, expected an IPv4 address") }
        try expect("on", at: 9, after: "to \(address)")
        guard words.count == 11 else { throw fail(words.count < 11 ? "after on, expected NS:LINK" : "'\(words[11])' after NS:LINK") }
        let place = words[10].split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard place.count == 2, !place[0].isEmpty, !place[1].isEmpty else { throw fail("'\(words[10])' is not NS:LINK (node3:eth0)") }
        return .captured(CaptureExpectation(vni: vni, from: words[6], address: address.description, namespace: place[0], link: place[1]))
    }
}
