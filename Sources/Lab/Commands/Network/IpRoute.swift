import Kernel

/// `ip route add|del DESTINATION [via GATEWAY] [dev LINK] [scope SCOPE]` and `ip route show`.
enum IpRoute {
    static func perform(_ sentence: IpSentence) throws {
        var sentence = sentence
        switch sentence.next() ?? "show" {
        case let verb where ["add", "del", "delete"].contains(verb):
            let text = try sentence.value(after: verb)
            guard let destination = IPPrefix.destination(text) else {
                throw sentence.call.failure("\"\(text)\" is not a destination", cause: "write default or ADDRESS/PREFIX")
            }
            var gateway: IPAddress?, device: String?, scope: RouteScope?
            while let word = sentence.next() {
                switch word {
                case "via":
                    let value = try sentence.value(after: "via")
                    guard let address = IPAddress(value) else { throw sentence.call.failure("\"\(value)\" is not an address") }
                    gateway = address
                case "dev": device = try sentence.value(after: "dev")
                case "scope":
                    let value = try sentence.value(after: "scope")
                    let scopes: [String: RouteScope] = ["global": .universe, "universe": .universe, "site": .site, "link": .link, "host": .host]
                    guard let known = scopes[value] else { throw sentence.call.failure("\"\(value)\" is not a scope", cause: "global, link or host") }
                    scope = known
                default: throw sentence.unexpected(word, expected: "via GATEWAY, dev LINK or scope SCOPE")
                }
            }
            guard gateway != nil || device != nil else { throw sentence.call.failure("a route needs \"via GATEWAY\" or \"dev LINK\"") }
            let netlink = try sentence.netlink()
            do {
                if verb == "add" {
                    try netlink.addRoute(destination, via: gateway, device: device.map { .name($0) }, scope: scope)
                } else {
                    try netlink.deleteRoute(destination, via: gateway, device: device.map { .name($0) })
                }
            } catch {
                throw sentence.failure("cannot \(verb == "add" ? "add" : "remove") route \(text)", error)
            }
        case let verb where ["show", "list", "ls"].contains(verb):
            let view = try NetworkView(try sentence.netlink(), addresses: false, routes: true)
            for route in view.routes { sentence.call.write(view.describe(route) + "\n") }
        case let word:
            throw sentence.unexpected(word, expected: "add, del or show")
        }
    }
}
