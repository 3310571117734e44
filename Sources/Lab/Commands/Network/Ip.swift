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
        let sentence = IprouteWords(call: call, words: words, namespace: namespace)
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

extension IPPrefix {
    /// `default`, or an address with a prefix length (`10.0.0.0/24`; a bare address is a host).
    static func destination(_ text: String) -> IPPrefix? {
        text == "default" ? IPPrefix("0.0.0.0/0") : IPPrefix(text)
    }
}
