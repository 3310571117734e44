import Kernel

/// `resolve NAME from PROC|NS [== ADDRESS]`: the name resolves, from a process or a network
/// namespace, as libc's getaddrinfo does with `hosts: files dns` (`NameResolution`), to
/// ADDRESS or, without `==`, to any address. `not resolve NAME from …` says it does not.
public struct ResolveExpectation: Sendable, Equatable {
    public var name: String
    /// `$c1`, a pid, or a network namespace's name (or `host`).
    public var from: String
    public var address: String?

    static let form = "resolve NAME from PROC|NS [== ADDRESS]"

    var subject: String { "resolve \(from):\(name.lowercased())" }

    static func parse(_ words: [String]) throws(ExpectationError) -> Expectation {
        func fail(_ message: String) -> ExpectationError { ExpectationError(message: message, form: form) }
        guard let name = words.first else { throw fail("missing the NAME to resolve") }
        guard DNSName(name).map({ !$0.labels.isEmpty }) == true else {
            throw fail("'\(name)' is not a domain name: labels of 1 to 63 characters separated by dots")
        }
        guard words.count >= 3, words[1] == "from" else { throw fail("after \(name), expected from PROC or from NS") }
        let rest = words.dropFirst(3)
        if rest.isEmpty { return .resolve(ResolveExpectation(name: name, from: words[2])) }
        guard rest.count == 2, rest.first == "==", let address = IPAddress(rest.last!), address.family == .inet else {
            throw fail("after from \(words[2]), expected == ADDRESS (an IPv4 address)")
        }
        return .resolve(ResolveExpectation(name: name, from: words[2], address: address.description))
    }
}
