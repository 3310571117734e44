import Kernel

/// `ip link add|set|del|show`.
enum IpLink {
    static func perform(_ sentence: IpSentence) throws {
        var sentence = sentence
        switch sentence.next() ?? "show" {
        case "add": try add(&sentence)
        case "set": try set(&sentence)
        case "del", "delete":
            var name = try sentence.value(after: "del")
            if name == "dev" { name = try sentence.value(after: "dev") }
            do { try sentence.netlink().deleteLink(.name(name)) } catch {
                throw sentence.failure("cannot delete \(name)", error)
            }
        case "show", "list", "ls": try show(&sentence)
        case let word: throw sentence.unexpected(word, expected: "add, set, del or show")
        }
    }

    /// `ip link add [name] NAME type veth [peer [name] PEER [netns NS]] | type bridge | type dummy`.
    private static func add(_ sentence: inout IpSentence) throws {
        var name = try sentence.value(after: "add")
        if name == "name" { name = try sentence.value(after: "name") }
        guard sentence.next() == "type", let type = sentence.next() else {
            throw sentence.call.failure("\"type KIND\" is needed", cause: "e.g. ip link add \(name) type veth peer name PEER, or type bridge")
        }
        let kind: LinkKind
        switch type {
        case "veth":
            var peer: String?, peerNamespace: String?
            while let word = sentence.next() {
                switch word {
                case "peer": peer = try sentence.value(after: "peer")
                    if peer == "name" { peer = try sentence.value(after: "name") }
                case "netns": peerNamespace = try sentence.value(after: "netns")
                default: throw sentence.unexpected(word, expected: "peer name PEER [netns NS]")
                }
            }
            guard let peer else { throw sentence.call.failure("a veth needs its peer: peer name PEER") }
            let target = try peerNamespace.map { (namespace: String) throws -> NamespaceTarget in
                do { return .namespace(try sentence.places.namespaces.open(namespace)) } catch {
                    throw sentence.call.failure("cannot open network namespace \"\(namespace)\"", error, cause: "`ip netns list` shows them")
                }
            }
            kind = .veth(peer: peer, peerNamespace: target)
        case "bridge": kind = .bridge
        case "dummy": kind = .dummy
        default:
            throw sentence.call.failure("link type \"\(type)\" is not one BoxLab makes yet", cause: "veth, bridge or dummy")
        }
        if let word = sentence.next() { throw sentence.unexpected(word, expected: "nothing more") }
        let netlink = try sentence.netlink()
        do {
            try sentence.call.environment.creatingLink(name, in: sentence.namespace, netlink: netlink) { () throws(KernelError) in
                try netlink.addLink(name, kind)
            }
        } catch {
            throw sentence.failure("cannot add \(name)", error)
        }
    }

    /// `ip link set [dev] NAME up|down|master BR|nomaster|netns NS|name NEW|mtu N|address MAC...`.
    private static func set(_ sentence: inout IpSentence) throws {
        var name = try sentence.value(after: "set")
        if name == "dev" { name = try sentence.value(after: "dev") }
        var changes: [LinkChange] = []
        while let word = sentence.next() {
            switch word {
            case "up": changes.append(.up)
            case "down": changes.append(.down)
            case "master": changes.append(.master(.name(try sentence.value(after: "master"))))
            case "nomaster": changes.append(.noMaster)
            case "name": changes.append(.name(try sentence.value(after: "name")))
            case "mtu":
                let value = try sentence.value(after: "mtu")
                guard let mtu = UInt32(value) else { throw sentence.call.failure("\"\(value)\" is not a valid MTU") }
                changes.append(.mtu(mtu))
            case "address":
                let value = try sentence.value(after: "address")
                guard let mac = MACAddress(value) else { throw sentence.call.failure("\"\(value)\" is not a MAC address", cause: "write six hex bytes, e.g. 02:42:ac:11:00:02") }
                changes.append(.address(mac))
            case "netns":
                let value = try sentence.value(after: "netns")
                if let pid = Int32(value) {
                    try sentence.call.requireOwn(pid)
                    changes.append(.namespace(.pid(pid)))
                } else {
                    do { changes.append(.namespace(.namespace(try sentence.places.namespaces.open(value)))) } catch {
                        throw sentence.call.failure("cannot open network namespace \"\(value)\"", error, cause: "`ip netns list` shows them")
                    }
                }
            default:
                throw sentence.unexpected(word, expected: "up, down, master BRIDGE, nomaster, netns NS, name NEW, mtu N or address MAC")
            }
        }
        guard !changes.isEmpty else { throw sentence.call.failure("nothing to change", cause: "e.g. ip link set \(name) up") }
        do { try sentence.netlink().setLink(.name(name), changes) } catch {
            throw sentence.failure("cannot change \(name)", error)
        }
    }

    /// `ip link show [dev] [NAME] [type KIND] [master BRIDGE]`.
    private static func show(_ sentence: inout IpSentence) throws {
        var name: String?, type: String?, master: String?
        while let word = sentence.next() {
            switch word {
            case "dev": name = try sentence.value(after: "dev")
            case "type": type = try sentence.value(after: "type")
            case "master": master = try sentence.value(after: "master")
            default: name = word
            }
        }
        let view = try NetworkView(try sentence.netlink(), addresses: false)
        let links = view.links.filter { link in
            (name == nil || link.name == name) && (type == nil || link.kind == type)
                && (master == nil || link.master.flatMap { view.name(of: $0) } == master)
        }
        if let name, links.isEmpty { throw sentence.call.failure("device \"\(name)\" does not exist") }
        for link in links { sentence.call.write(view.describe(link, addresses: false)) }
    }
}
