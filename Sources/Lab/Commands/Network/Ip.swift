import Glibc
import Kernel

extension Command {
    static let ip = Command(
        "ip",
        usage: "ip [-n NS] [-d] link|addr|route|neigh ... | ip netns add|del|list|exec ...",
        summary: "network namespaces, links, addresses and routes, by rtnetlink messages BoxLab writes itself",
        options: [.value("n", "netns"), .flag("d", "details")],
        optionsEndAtFirstOperand: true,
        innerLine: IpNetns.execLine
    ) { call in
        let namespace = call.options.value("netns") ?? call.namespace
        if namespace.hasPrefix("/") { try call.requireOwnProcess(at: namespace) }
        var words = call.operands[...]
        guard let object = words.popFirst() else { throw call.failure("which object? link, addr, route or netns", cause: "usage: \(call.command.usage)") }
        let sentence = IpSentence(call: call, words: words, namespace: namespace)
        switch object {
        case "link", "l", "li", "lin": try IpLink.perform(sentence)
        case "address", "addr", "a", "ad", "add", "addre": try IpAddress.perform(sentence)
        case "route", "r", "ro", "rou", "rout": try IpRoute.perform(sentence)
        case "netns", "netn": try IpNetns.perform(sentence)
        case "neighbour", "neighbor", "neigh", "n": try IpNeighbour.perform(sentence)
        default: throw call.failure("object \"\(object)\" is unknown", cause: "BoxLab's ip knows link, addr, route, neigh and netns")
        }
    }
}

/// The rest of an `ip` command line after the object, read word by word as iproute2 does.
struct IpSentence {
    let call: Invocation
    var words: ArraySlice<String>
    let namespace: String

    var isEmpty: Bool { words.isEmpty }
    var places: NetworkPlaces { NetworkPlaces() }

    mutating func next() -> String? { words.popFirst() }

    /// The value after a keyword (`dev eth0`), or a usage error naming the keyword.
    mutating func value(after keyword: String) throws -> String {
        guard let value = words.popFirst() else { throw call.failure("\"\(keyword)\" needs an argument") }
        return value
    }

    func netlink() throws -> RouteNetlink {
        do { return try call.environment.clients.netlink(namespace) } catch {
            throw call.failure("cannot open network namespace \"\(namespace)\"", error,
                               cause: error.errno == .ENOENT ? "there is no namespace \(namespace): `ip netns list` shows them" : nil)
        }
    }

    /// A kernel refusal as iproute2 reports it: the errno, the kernel's own words when it gave
    /// some, then what usually fixes it (the network's causes here, the others the command's).
    func failure(_ what: String, _ error: any Error, cause extra: String? = nil) -> CommandError {
        guard let error = error as? KernelError else { return call.failure(what, error) }
        let known: String? = switch error.errno {
        case .ENODEV: "no such device\(namespace == NetworkPlaces.host ? "" : " in \(namespace)"): `ip\(namespace == NetworkPlaces.host ? "" : " -n \(namespace)") link` lists the links"
        case .ENOENT, .ESRCH: "there is no such object\(namespace == NetworkPlaces.host ? "" : " in \(namespace)")"
        case .EINVAL: error.detail == nil ? "the kernel refused the arguments" : nil
        case Errno(ENETUNREACH): "no route to the gateway: add the address that covers it first"
        default: likelyCause(of: error)
        }
        let cause = [error.detail, extra ?? known].compactMap { $0 }.joined(separator: "; ")
        return call.failure(what, error, cause: cause.isEmpty ? nil : cause)
    }

    func unexpected(_ word: String, expected: String) -> CommandError {
        call.failure("unexpected \"\(word)\"", cause: "expected \(expected)")
    }
}

extension IPPrefix {
    /// `default`, or an address with a prefix length (`10.0.0.0/24`; a bare address is a host).
    static func destination(_ text: String) -> IPPrefix? {
        text == "default" ? IPPrefix("0.0.0.0/0") : IPPrefix(text)
    }
}
