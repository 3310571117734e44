import Foundation
import Glibc
import Kernel
import Testing

/// rtnetlink for real, in namespaces made for the test (never the machine's own links), each
/// result compared with what `ip -j -n NS …` reports. Deleting the namespaces at the end
/// takes every link made in them along.
@Suite(.enabled(if: getuid() == 0, "changing links needs root"))
struct NetlinkLiveTests {
    @Test func vethAcrossNamespacesWithBridgeAddressesAndRoutes() throws {
        try withNamespaceDirectory { namespaces in
            try namespaces.add("red")
            try namespaces.add("blue")
            let blueNamespace = try namespaces.open("blue")
            let red = try RouteNetlink(in: namespaces.open("red")), blue = try RouteNetlink(in: blueNamespace)

            let recorder = TraceRecorder()
            try Trace.recording(into: recorder) {
                try red.addLink("veth-red", .veth(peer: "veth-blue", peerNamespace: .namespace(blueNamespace)))
            }
            let socket = try #require(recorder.entries.first?.arguments.first)
            #expect(recorder.entries.map(\.description) == [
                """
                sendmsg(\(socket), RTM_NEWLINK flags=REQUEST|ACK|CREATE|EXCL ifname="veth-red" \
                linkinfo={kind="veth", peer={net_ns_fd=\(blueNamespace.descriptor), ifname="veth-blue"}}, 0) = 108
                """,
                "recvmsg(\(socket), NLMSG_ERROR error=0 (ACK), 0) = 36",
            ])

            try red.addLink("br0", .bridge)
            try red.setLink("veth-red", [.master("br0"), .up])
            try red.setLink("br0", [.up])
            try red.setLink("lo", [.up])
            try red.addAddress(try #require(IPPrefix("10.0.0.1/24")), to: "br0")
            try blue.setLink("veth-blue", [.up])
            try blue.setLink("lo", [.up])
            try blue.addAddress(try #require(IPPrefix("10.0.0.2/24")), to: "veth-blue")
            try blue.addAddress(try #require(IPPrefix("fd00::2/64")), to: "veth-blue", flags: .noDAD)
            try blue.addRoute(.defaultIPv4, via: IPAddress("10.0.0.1"))
            try blue.addRoute(try #require(IPPrefix("10.9.0.0/16")), device: "veth-blue")
            try blue.addRoute(.defaultIPv6, via: IPAddress("fd00::1"), device: "veth-blue")
            _ = try iproute2(["-n", "blue", "neigh", "add", "10.0.0.9", "lladdr", "02:00:00:00:00:09", "dev", "veth-blue", "nud", "permanent"], namespaces: namespaces)
            _ = try iproute2(["-n", "red", "fdb", "add", "02:00:00:00:00:aa", "dev", "veth-red", "master", "static"], program: "bridge", namespaces: namespaces)
            try waitForCarrier(red, "veth-red", "br0")
            try waitForCarrier(blue, "veth-blue")

            for (client, name) in [(red, "red"), (blue, "blue")] {
                try expectSameLinks(client, as: name, namespaces)
                try expectSameAddresses(client, as: name, namespaces)
                try expectSameRoutes(client, as: name, namespaces)
            }
            try expectSameNeighbours(blue, as: "blue", namespaces)
            try expectSameForwardingEntries(red, as: "red", namespaces)

            let vethRed = try red.link("veth-red"), vethBlue = try blue.link("veth-blue")
            #expect(vethRed.master == (try red.link("br0")).index)
            #expect(vethBlue.link == vethRed.index)
            #expect(vethRed.link == vethBlue.index)
            #expect(vethBlue.linkNetnsID != nil && vethRed.linkNetnsID != nil)
            #expect(try red.namespaceID(of: .namespace(blueNamespace)) == vethRed.linkNetnsID)
            #expect(try red.namespaceID(of: .namespace(namespaces.open("red"))) == nil, "none for itself until asked to")
            #expect(try blue.routes().map(\.description).contains("default via 10.0.0.1 dev \(vethBlue.index)"))
        }
    }

    @Test func kernelErrorsNameTheRequest() throws {
        try withNamespaceDirectory { namespaces in
            try namespaces.add("red")
            let red = try RouteNetlink(in: namespaces.open("red"))
            try red.addLink("vA", .veth(peer: "vB"))

            let exists = try #require(throws: KernelError.self) { try red.addLink("vA", .veth(peer: "vC")) }
            #expect(exists.errno == .EEXIST)
            #expect(exists.description == """
                RTM_NEWLINK(flags=REQUEST|ACK|CREATE|EXCL ifname="vA" linkinfo={kind="veth", peer={ifname="vC"}}) \
                failed: EEXIST (File exists)
                """)

            let missing = try #require(throws: KernelError.self) { try red.deleteLink("nosuch") }
            #expect(missing.errno == .ENODEV)
            #expect(missing.description == #"RTM_GETLINK(flags=REQUEST ext_mask=VF|SKIP_STATS ifname="nosuch") failed: ENODEV (No such device)"#)

            let noRoute = try #require(throws: KernelError.self) { try red.deleteRoute(.defaultIPv4) }
            #expect(noRoute.errno == .ESRCH)
            let noAddress = try #require(throws: KernelError.self) { try red.deleteAddress(try #require(IPPrefix("10.0.0.1/24")), from: "vA") }
            #expect(noAddress.errno == Errno(EADDRNOTAVAIL))
            let unreachable = try #require(throws: KernelError.self) { try red.addRoute(.defaultIPv4, via: IPAddress("10.77.0.1")) }
            #expect(unreachable.errno == Errno(ENETUNREACH))
            #expect(unreachable.arguments.last == #"msg="Nexthop has invalid gateway""#)

            do throws(KernelError) {
                try red.addLink("dummy0", .dummy)
                try red.deleteLink("dummy0")
            } catch {
                // This kernel was built without dummy links; the kernel says so in words.
                #expect(error.errno == .EOPNOTSUPP)
                #expect(error.arguments.last == #"msg="Unknown device type""#)
            }

            let recorder = TraceRecorder()
            let tooLong = try #require(throws: KernelError.self) {
                try Trace.recording(into: recorder) { try red.addLink("sixteen-bytes-xx", .bridge) }
            }
            #expect(tooLong.errno == .EINVAL)
            #expect(recorder.entries.isEmpty, "refused before any request went out")
            try red.deleteLink("vA")
            #expect(try red.links().map(\.name) == ["lo"], "deleting one end of a veth deletes both")
        }
    }

    @Test func everyKindOfLink() throws {
        try withNamespaceDirectory { namespaces in
            try namespaces.add("red")
            let red = try RouteNetlink(in: namespaces.open("red"))
            try red.addLink("vA", .veth(peer: "vB"))
            try red.addAddress(try #require(IPPrefix("10.1.1.1/24")), to: "vA")
            let options = VXLANOptions(
                id: 42, local: IPAddress("10.1.1.1"), remote: IPAddress("10.1.1.2"), port: 4789, device: "vA", learning: false
            )
            try red.addLink("vxlan42", .vxlan(options))
            try red.addLink("mv0", .macvlan(.bridge), parent: "vB")
            try red.addLink("br0", .bridge)
            do throws(KernelError) {
                try red.addLink("ipv0", .ipvlan(.l2), parent: "vB")
            } catch {
                #expect(error.errno == .EOPNOTSUPP, "this kernel has no ipvlan")
            }
            let links = try red.links()
            let kinds = Dictionary(uniqueKeysWithValues: links.map { ($0.name, $0.kind) })
            #expect(kinds["vxlan42"] == "vxlan")
            #expect(kinds["mv0"] == "macvlan")
            #expect(kinds["br0"] == "bridge")
            #expect(kinds["vA"] == "veth")
            let vA = try red.link("vA"), vB = try red.link("vB")
            #expect(try red.link("mv0").link == vB.index)

            let details = try iproute2JSON(["-n", "red", "-d", "link", "show", "vxlan42"], namespaces: namespaces)
            let data = try #require((details.first?["linkinfo"] as? [String: Any])?["info_data"] as? [String: Any])
            #expect(data["id"] as? Int == 42)
            #expect(data["remote"] as? String == "10.1.1.2")
            #expect(data["local"] as? String == "10.1.1.1")
            #expect(data["port"] as? Int == 4789)
            #expect(data["link"] as? String == "vA")
            #expect(data["learning"] as? Bool == false)
            let mode = try iproute2JSON(["-n", "red", "-d", "link", "show", "mv0"], namespaces: namespaces)
            #expect(((mode.first?["linkinfo"] as? [String: Any])?["info_data"] as? [String: Any])?["mode"] as? String == "bridge")

            for name in ["vxlan42", "mv0", "br0", "vA"] { try red.deleteLink(LinkReference.name(name)) }
            #expect(try red.links().map(\.name) == ["lo"])
            _ = vA
        }
    }

    @Test func changingALink() throws {
        try withNamespaceDirectory { namespaces in
            try namespaces.add("red")
            try namespaces.add("blue")
            let red = try RouteNetlink(in: namespaces.open("red")), blue = try RouteNetlink(in: namespaces.open("blue"))
            try red.addLink("vA", .veth(peer: "vB"))
            try red.addLink("br0", .bridge)
            let mac = try #require(MACAddress("02:00:00:00:00:01"))
            try red.setLink("vA", [.name("veth0"), .mtu(1400), .address(mac), .master("br0"), .up])
            var veth0 = try red.link("veth0")
            #expect(veth0.mtu == 1400)
            #expect(veth0.address == mac)
            #expect(veth0.master == (try red.link("br0")).index)
            #expect(veth0.isUp)
            try red.setLink("veth0", [.noMaster, .down])
            veth0 = try red.link("veth0")
            #expect(veth0.master == nil)
            #expect(!veth0.isUp)

            try red.setLink("veth0", [.namespace(.namespace(try namespaces.open("blue")))])
            #expect(try blue.links().map(\.name) == ["lo", "veth0"])

            // A process inside red stands for its namespace: the link moves to where it is.
            let sleeper = try ChildProcess.spawn(
                "/usr/bin/nsenter", arguments: ["nsenter", "--net=\(namespaces.path(of: "red"))", "sleep", "30"],
                environment: []
            )
            defer {
                try? Signals.kill(sleeper, SIGKILL)
                _ = try? ChildProcess.wait(sleeper)
            }
            try waitUntil { try FileSystem.stat("/proc/\(sleeper)/ns/net").inode == FileSystem.stat(namespaces.path(of: "red")).inode }
            try blue.setLink("veth0", [.namespace(.pid(sleeper))])
            #expect(try red.links().map(\.name).sorted() == ["br0", "lo", "vB", "veth0"])
        }
    }

    @Test func dumpsAreTracedDecoded() throws {
        try withNamespaceDirectory { namespaces in
            try namespaces.add("red")
            let red = try RouteNetlink(in: namespaces.open("red"))
            let recorder = TraceRecorder()
            let links = try Trace.recording(into: recorder) { try red.links() }
            #expect(links.count == 1)
            let entries = recorder.entries
            #expect(entries.map(\.call) == ["sendmsg", "recvmsg", "recvmsg"])
            #expect(entries[0].arguments[1] == "RTM_GETLINK flags=REQUEST|DUMP family=AF_PACKET ext_mask=VF")
            #expect(entries[1].arguments[1].hasPrefix(#"RTM_NEWLINK flags=MULTI index=1 <LOOPBACK> ifname="lo" operstate=DOWN mtu=65536"#))
            #expect(entries[2].arguments[1] == "NLMSG_DONE")

            let opened = TraceRecorder()
            _ = try Trace.recording(into: opened) { try RouteNetlink(in: namespaces.open("red")) }
            let calls = opened.entries.map(\.description)
            let namespaceFile = try #require(opened.entries.first?.result)
            let socket = try #require(opened.entries.count > 2 ? opened.entries[2].result : nil)
            #expect(calls == [
                #"openat(AT_FDCWD, "\#(namespaces.path(of: "red"))", O_RDONLY|O_CLOEXEC) = \#(namespaceFile)"#,
                "setns(\(namespaceFile), CLONE_NEWNET) = 0",
                "socket(AF_NETLINK, SOCK_RAW|SOCK_CLOEXEC, NETLINK_ROUTE) = \(socket)",
                "setsockopt(\(socket), SOL_NETLINK, NETLINK_EXT_ACK, [1], 4) = 0",
                "setsockopt(\(socket), SOL_NETLINK, NETLINK_GET_STRICT_CHK, [1], 4) = 0",
                "bind(\(socket), {sa_family=AF_NETLINK, nl_pid=0, nl_groups=00000000}, 12) = 0",
                "close(\(namespaceFile)) = 0",
            ])
        }
    }
}

/// Operational state follows carrier a moment later (the kernel's linkwatch), and `ip`
/// must see what BoxLab saw: wait until every named link is UP.
private func waitForCarrier(_ client: RouteNetlink, _ names: String...) throws {
    try waitUntil { try names.allSatisfy { try client.link(.name($0)).operationalState == .up } }
}

private func waitUntil(_ condition: () throws -> Bool) throws {
    for _ in 0..<100 {
        if try condition() { return }
        usleep(20_000)
    }
    Issue.record("gave up waiting after 2 seconds")
}

private func expectSameLinks(_ client: RouteNetlink, as name: String, _ namespaces: NetworkNamespaces) throws {
    let mine = try client.links()
    let theirs = try iproute2JSON(["-n", name, "link", "show"], namespaces: namespaces)
    #expect(mine.map(\.name) == theirs.map { $0["ifname"] as? String ?? "?" }, "\(name)")
    let names = Dictionary(uniqueKeysWithValues: mine.map { ($0.index, $0.name) })
    for (link, json) in zip(mine, theirs) {
        let flags = json["flags"] as? [String] ?? []
        #expect(Int(link.index) == json["ifindex"] as? Int)
        #expect(link.mtu.map(Int.init) == json["mtu"] as? Int)
        #expect(link.operationalState.description == json["operstate"] as? String, "\(link.name)")
        #expect(link.address?.description == json["address"] as? String)
        #expect(link.isUp == flags.contains("UP"))
        #expect(link.flags.contains(.lowerUp) == flags.contains("LOWER_UP"))
        #expect(link.master.flatMap { names[$0] } == json["master"] as? String)
        if let netnsID = link.linkNetnsID {
            #expect(json["link_netnsid"] as? Int == Int(netnsID))
            #expect(json["link_index"] as? Int == link.link.map(Int.init))
        } else {
            #expect(link.link.flatMap { names[$0] } == json["link"] as? String)
        }
    }
}

/// IPv6 link-local addresses appear when carrier does, at a moment of the kernel's choosing.
private func expectSameAddresses(_ client: RouteNetlink, as name: String, _ namespaces: NetworkNamespaces) throws {
    let mine = try client.addresses().filter { !$0.prefix.description.hasPrefix("fe80:") }.map {
        "\($0.index) \($0.prefix) \($0.scope)"
    }
    let theirs = try iproute2JSON(["-n", name, "address", "show"], namespaces: namespaces).flatMap { link in
        (link["addr_info"] as? [[String: Any]] ?? []).compactMap { address -> String? in
            guard let local = address["local"] as? String, !local.hasPrefix("fe80:") else { return nil }
            return "\(link["ifindex"] as? Int ?? 0) \(local)/\(address["prefixlen"] as? Int ?? 0) \(address["scope"] as? String ?? "")"
        }
    }
    #expect(mine.sorted() == theirs.sorted(), "\(name)")
    #expect(mine.count >= 2)
}

private func expectSameRoutes(_ client: RouteNetlink, as name: String, _ namespaces: NetworkNamespaces) throws {
    let names = Dictionary(uniqueKeysWithValues: try client.links().map { ($0.index, $0.name) })
    for family in [AddressFamily.inet, .inet6] {
        let mine = try client.routes(family: family).filter { !$0.destination.description.hasPrefix("fe80:") }.map { route in
            [
                route.destination.isDefault ? "default" : route.destination.description,
                route.gateway?.description ?? "-", route.outputInterface.flatMap { names[$0] } ?? "-",
                route.routeProtocol == .boot ? "-" : route.routeProtocol.description,
                route.scope == .universe ? "-" : route.scope.description, route.preferredSource?.description ?? "-",
            ].joined(separator: " ")
        }
        let theirs = try iproute2JSON(["-n", name, family == .inet ? "-4" : "-6", "route", "show"], namespaces: namespaces).compactMap { route -> String? in
            let destination = route["dst"] as? String ?? "?"
            guard !destination.hasPrefix("fe80:") else { return nil }
            return [
                destination, route["gateway"] as? String ?? "-", route["dev"] as? String ?? "-",
                route["protocol"] as? String ?? "-", route["scope"] as? String ?? "-", route["prefsrc"] as? String ?? "-",
            ].joined(separator: " ")
        }
        #expect(mine == theirs, "\(name) \(family)")
    }
}

/// The kernel adds and ages entries of its own; the permanent ones are the test's.
private func expectSameNeighbours(_ client: RouteNetlink, as name: String, _ namespaces: NetworkNamespaces) throws {
    let names = Dictionary(uniqueKeysWithValues: try client.links().map { ($0.index, $0.name) })
    let mine = try client.neighbours().filter { $0.state == .permanent }.map {
        "\($0.address) \(names[$0.index] ?? "?") \($0.linkAddress?.description ?? "-")"
    }
    let theirs = try iproute2JSON(["-n", name, "neigh", "show", "nud", "permanent"], namespaces: namespaces).map {
        "\($0["dst"] as? String ?? "?") \($0["dev"] as? String ?? "?") \($0["lladdr"] as? String ?? "-")"
    }
    #expect(mine == theirs)
    #expect(mine == ["10.0.0.9 veth-blue 02:00:00:00:00:09"])
}

/// Learned entries come and go with traffic; the static and permanent ones stay put.
private func expectSameForwardingEntries(_ client: RouteNetlink, as name: String, _ namespaces: NetworkNamespaces) throws {
    let names = Dictionary(uniqueKeysWithValues: try client.links().map { ($0.index, $0.name) })
    let mine = try client.bridgeFDB().filter { $0.isStatic || $0.isPermanent }.map { entry in
        [
            entry.linkAddress.description, names[entry.port] ?? "?", entry.master.flatMap { names[$0] } ?? "-",
            entry.vlan.map(String.init) ?? "-", entry.isPermanent ? "permanent" : "static",
        ].joined(separator: " ")
    }
    let theirs = try iproute2JSON(["-n", name, "fdb", "show"], program: "bridge", namespaces: namespaces).compactMap { entry -> String? in
        guard let state = entry["state"] as? String, state == "permanent" || state == "static" else { return nil }
        return [
            entry["mac"] as? String ?? "?", entry["ifname"] as? String ?? "?", entry["master"] as? String ?? "-",
            (entry["vlan"] as? Int).map(String.init) ?? "-", state,
        ].joined(separator: " ")
    }
    #expect(mine == theirs)
    #expect(mine.contains("02:00:00:00:00:aa veth-red br0 - static"))
}
