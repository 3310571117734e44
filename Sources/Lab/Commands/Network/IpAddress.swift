import Kernel

/// `ip addr add|del PREFIX dev LINK` and `ip addr show [dev] [LINK]`.
enum IpAddress {
    static func perform(_ sentence: IprouteWords) throws {
        var sentence = sentence
        switch sentence.next() ?? "show" {
        case let verb where ["add", "del", "delete"].contains(verb):
            let text = try sentence.value(after: verb)
            guard let prefix = IPPrefix(text) else {
                throw sentence.call.failure("\"\(text)\" is not an address", cause: "write ADDRESS/PREFIX, e.g. 10.0.0.1/24")
            }
            var device: String?
            while let word = sentence.next() {
                guard word == "dev" else { throw sentence.unexpected(word, expected: "dev LINK") }
                device = try sentence.value(after: "dev")
            }
            guard let device else { throw sentence.call.failure("which link? add \"dev LINK\"") }
            let netlink = try sentence.netlink()
            do {
                if verb == "add" { try netlink.addAddress(prefix, to: .name(device)) } else { try netlink.deleteAddress(prefix, from: .name(device)) }
            } catch {
                throw sentence.failure(verb == "add" ? "cannot add \(text) to \(device)" : "cannot remove \(text) from \(device)", error)
            }
        case let verb where ["show", "list", "ls"].contains(verb):
            if sentence.words.first == "dev" { _ = sentence.next() }
            let name = sentence.next()
            let netlink = try sentence.netlink()
            let view = try NetworkView(netlink)
            let links = view.links.filter { name == nil || $0.name == name }
            if let name, links.isEmpty { throw sentence.call.failure("device \"\(name)\" does not exist") }
            for link in links { sentence.call.write(view.describe(link, addresses: true)) }
        case let word:
            throw sentence.unexpected(word, expected: "add, del or show")
        }
    }
}
