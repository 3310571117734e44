import Glibc
import Kernel

/// `ip link add|set|del|show`.
enum IpLink {
    static func perform(_ sentence: IprouteWords) throws {
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

    /// `ip link add [link PARENT] [name] NAME [address MAC] [netns NS] type veth [peer [name]
    /// PEER [netns NS]] | type bridge | type dummy | type macvlan [mode MODE] | type ipvlan
    /// [mode MODE] | type vxlan id N [local A] [remote A|group A] [dev LINK] [dstport P]
    /// [srcport MIN MAX] [ttl N] [ageing S] [learning|nolearning]`.
    private static func add(_ sentence: inout IprouteWords) throws {
        var name: String?, parent: String?, namespace: String?, address: MACAddress?
        var type: String?
        while type == nil, let word = sentence.next() {
            switch word {
            case "link": parent = try sentence.value(after: "link")
            case "name": name = try sentence.value(after: "name")
            case "netns": namespace = try sentence.value(after: "netns")
            case "address": address = try mac(after: "address", &sentence)
            case "type": type = try sentence.value(after: "type")
            default:
                guard name == nil else { throw sentence.unexpected(word, expected: "link PARENT, address MAC, netns NS or type KIND") }
                name = word
            }
        }
        guard let name else {
            throw sentence.call.failure("the new link needs a name", cause: "e.g. ip link add veth0 type veth peer name PEER")
        }
        guard let type else {
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
            kind = .veth(peer: peer, peerNamespace: try peerNamespace.map { try target($0, sentence) })
        case "bridge": kind = .bridge
        case "dummy": kind = .dummy
        case "macvlan":
            kind = .macvlan(try mode(&sentence, of: type, default: .vepa, MACVLANMode.allCases))
        case "ipvlan":
            kind = .ipvlan(try mode(&sentence, of: type, default: .l3, IPVLANMode.allCases))
        case "vxlan":
            kind = .vxlan(try VXLANWords.options(&sentence))
        default:
            throw sentence.call.failure("link type \"\(type)\" is not one BoxLab makes yet", cause: "veth, bridge, dummy, macvlan, ipvlan or vxlan")
        }
        if let word = sentence.next() { throw sentence.unexpected(word, expected: "nothing more") }
        let needsParent = type == "macvlan" || type == "ipvlan"
        if needsParent, parent == nil {
            throw sentence.call.failure("a \(type) link sits on a parent: link PARENT", cause: "e.g. ip link add link eth0 name \(name) type \(type) mode \(type == "macvlan" ? "bridge" : "l2")")
        }
        if !needsParent, let parent {
            throw sentence.call.failure("a \(type) link has no parent, yet \"link \(parent)\" names one", cause: "link PARENT is for macvlan and ipvlan")
        }
        // ip writes the settings as it reads them: the address before the namespace.
        let settings = (address.map { [LinkChange.address($0)] } ?? []) + (try namespace.map { [LinkChange.namespace(try target($0, sentence))] } ?? [])
        let netlink = try sentence.netlink()
        do {
            try sentence.call.workbench.creatingLink(name, in: namespace ?? sentence.namespace, netlink: netlink) { () throws(KernelError) in
                try netlink.addLink(name, kind, parent: parent.map { .name($0) }, settings: settings)
            }
        } catch {
            throw sentence.failure("cannot add \(name)", error, cause: absentKindCause(type, error))
        }
    }

    /// `mode MODE` after a macvlan's or ipvlan's type, or the kernel's default when absent.
    private static func mode<Mode: CustomStringConvertible>(
        _ sentence: inout IprouteWords, of type: String, default fallback: Mode, _ modes: [Mode]
    ) throws -> Mode {
        guard let word = sentence.next() else { return fallback }
        guard word == "mode" else { throw sentence.unexpected(word, expected: "mode MODE") }
        let value = try sentence.value(after: "mode")
        guard let mode = modes.first(where: { $0.description == value }) else {
            throw sentence.call.failure("\"\(value)\" is not a \(type) mode", cause: "the modes are \(modes.map(\.description).joined(separator: ", "))")
        }
        return mode
    }

    /// The MAC address after `keyword`, or a usage error.
    private static func mac(after keyword: String, _ sentence: inout IprouteWords) throws -> MACAddress {
        let value = try sentence.value(after: keyword)
        guard let mac = MACAddress(value), mac.bytes.count == 6 else {
            throw sentence.call.failure("\"\(value)\" is not a MAC address", cause: "write six hex bytes, e.g. 02:42:ac:11:00:02")
        }
        return mac
    }

    /// The namespace a new link (or a veth's peer) is made in, by name.
    private static func target(_ namespace: String, _ sentence: IprouteWords) throws -> NamespaceTarget {
        do { return .namespace(try sentence.places.namespaces.open(namespace)) } catch {
            throw sentence.call.failure("cannot open network namespace \"\(namespace)\"", error, cause: "`ip netns list` shows them")
        }
    }

    /// A kind the running kernel lacks answers EOPNOTSUPP: say which option builds it.
    private static func absentKindCause(_ type: String, _ error: Error) -> String? {
        guard let error = error as? KernelError, error.errno == .EOPNOTSUPP else { return nil }
        return "this kernel has no \(type) (CONFIG_\(type.uppercased())): neither built in nor a module it could load"
    }

    /// `ip link set [dev] NAME up|down|master BR|nomaster|netns NS|name NEW|mtu N|address MAC
    /// |type macvlan|ipvlan mode MODE...`.
    private static func set(_ sentence: inout IprouteWords) throws {
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
            case "address": changes.append(.address(try mac(after: "address", &sentence)))
            case "type":
                let type = try sentence.value(after: "type")
                switch type {
                case "macvlan": changes.append(.kind(.macvlan(try mode(&sentence, of: type, default: .vepa, MACVLANMode.allCases))))
                case "ipvlan": changes.append(.kind(.ipvlan(try mode(&sentence, of: type, default: .l3, IPVLANMode.allCases))))
                default: throw sentence.call.failure("BoxLab changes the settings of macvlan and ipvlan links only, not of \"\(type)\"", cause: "e.g. ip link set \(name) type macvlan mode bridge")
                }
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
                throw sentence.unexpected(word, expected: "up, down, master BRIDGE, nomaster, netns NS, name NEW, mtu N, address MAC or type macvlan|ipvlan mode MODE")
            }
        }
        guard !changes.isEmpty else { throw sentence.call.failure("nothing to change", cause: "e.g. ip link set \(name) up") }
        let netlink = try sentence.netlink()
        do { try netlink.setLink(.name(name), changes) } catch {
            throw sentence.failure("cannot change \(name)", error)
        }
        var moved = false, final = name
        for change in changes {
            if case .namespace = change { moved = true }
            if case let .name(new) = change { final = new }
        }
        if changes.contains(where: { if case .up = $0 { true } else { false } }), !moved { awaitOperationalState(final, netlink) }
    }

    /// The kernel settles the operstate of a link that has a parent or a peer (a macvlan, a
    /// veth) a moment after it comes up, in its linkwatch work: until then it reads UNKNOWN.
    /// Waiting for it (untraced, at most 1 s) makes what the next command shows the settled
    /// state, as a learner typing it would see. (An ipvlan's driver tracks no carrier: it
    /// stays UNKNOWN.)
    private static func awaitOperationalState(_ name: String, _ netlink: RouteNetlink) {
        Trace.untraced {
            for _ in 0..<50 {
                guard let link = try? netlink.link(.name(name)), link.link != nil, link.kind != "ipvlan", link.operationalState == .unknown else { return }
                usleep(20_000)
            }
        }
    }

    /// `ip [-d] link show [dev] [NAME] [type KIND] [master BRIDGE]`; `-d` adds the kind's
    /// settings (`macvlan mode bridge`).
    private static func show(_ sentence: inout IprouteWords) throws {
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
        let details = sentence.call.options.has("details")
        for link in links { sentence.call.write(view.describe(link, addresses: false, details: details)) }
    }
}
