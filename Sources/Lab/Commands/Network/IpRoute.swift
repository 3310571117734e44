import Glibc
import Kernel

/// `ip route add|replace|del DESTINATION [via GATEWAY] [dev LINK] [scope SCOPE] [onlink]` and
/// `ip route show`.
enum IpRoute {
    static func perform(_ sentence: IprouteWords) throws {
        var sentence = sentence
        switch sentence.next() ?? "show" {
        case let verb where ["add", "replace", "del", "delete"].contains(verb):
            let text = try sentence.value(after: verb)
            guard let destination = IPPrefix.destination(text) else {
                throw sentence.call.failure("\"\(text)\" is not a destination", cause: "write default or ADDRESS/PREFIX")
            }
            var gateway: IPAddress?, device: String?, scope: RouteScope?, onlink = false
            let adding = verb == "add" || verb == "replace"
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
                case "onlink" where adding: onlink = true
                default: throw sentence.unexpected(word, expected: "via GATEWAY, dev LINK, scope SCOPE\(adding ? " or onlink" : "")")
                }
            }
            guard gateway != nil || device != nil else { throw sentence.call.failure("a route needs \"via GATEWAY\" or \"dev LINK\"") }
            if onlink, gateway == nil || device == nil {
                throw sentence.call.failure("onlink needs via GATEWAY and dev LINK", cause: "it says the gateway is on that link whatever its address, e.g. ip route \(verb) \(text) via 172.18.2.0 dev flannel.1 onlink")
            }
            let netlink = try sentence.netlink()
            do {
                if adding {
                    try netlink.addRoute(destination, via: gateway, device: device.map { .name($0) }, scope: scope, onlink: onlink, replace: verb == "replace")
                } else {
                    try netlink.deleteRoute(destination, via: gateway, device: device.map { .name($0) })
                }
            } catch {
                let cause: String? = if error.errno == Errno(ENETUNREACH), let gateway, let device, !onlink {
                    "\(gateway) is on no network \(device) has: add onlink to take it as on \(device)'s link anyway"
                } else { nil }
                throw sentence.failure("cannot \(adding ? verb : "remove") route \(text)", error, cause: cause)
            }
        case let verb where ["show", "list", "ls"].contains(verb):
            let view = try NetworkView(try sentence.netlink(), addresses: false, routes: true)
            for route in view.routes { sentence.call.write(view.describe(route) + "\n") }
        case let word:
            throw sentence.unexpected(word, expected: "add, del or show")
        }
    }
}
