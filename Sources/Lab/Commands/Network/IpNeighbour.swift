import Kernel

/// `ip neigh show [dev LINK]`: the ARP/NDP table — which MAC answered for which address.
enum IpNeighbour {
    static func perform(_ sentence: IpSentence) throws {
        var sentence = sentence
        if let verb = sentence.next(), !["show", "list", "ls"].contains(verb) {
            throw sentence.unexpected(verb, expected: "show")
        }
        var device: String?
        while let word = sentence.next() {
            guard word == "dev" else { throw sentence.unexpected(word, expected: "dev LINK") }
            device = try sentence.value(after: "dev")
        }
        let netlink = try sentence.netlink()
        do {
            let view = try NetworkView(netlink, addresses: false)
            for neighbour in try netlink.neighbours(family: .inet) {
                let name = view.name(of: neighbour.index) ?? "if\(neighbour.index)"
                guard device == nil || name == device, !neighbour.state.contains(.noARP) else { continue }
                let mac = neighbour.linkAddress.map { " lladdr \($0)" } ?? ""
                sentence.call.write("\(neighbour.address) dev \(name)\(mac) \(neighbour.state)\n")
            }
        } catch {
            throw sentence.failure("cannot read the neighbour table", error)
        }
    }
}
