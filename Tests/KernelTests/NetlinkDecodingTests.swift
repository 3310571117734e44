import Kernel
import Testing

/// The kernel's replies in the fixtures, decoded into what `ip` printed for them. The
/// namespace had lo, the veth pair vB(2)–vA(3) with vA a port of br0(4), a VXLAN vx0(5), and
/// vC(6) whose peer vD is in another namespace; br0 had 10.0.0.1/24 and fd00::1/64, a
/// default route via 10.0.0.254, a permanent neighbour for it and a static FDB entry.
@Suite struct NetlinkDecodingTests {
    private func links() throws -> [Link] {
        try NetlinkFixture("dump-links").allReplies().compactMap { reply in
            if case .link(let link) = reply.payload { Link(link) } else { nil }
        }
    }

    @Test func linkDump() throws {
        let links = try links()
        #expect(links.map(\.name) == ["lo", "vB", "vA", "br0", "vx0", "vC"])
        #expect(links.map(\.index) == [1, 2, 3, 4, 5, 6])
        #expect(links.map(\.kind) == [nil, "veth", "veth", "bridge", "vxlan", "veth"])
        let vA = links[2]
        #expect(vA.master == 4)
        #expect(vA.slaveKind == "bridge")
        #expect(vA.link == 2)
        #expect(vA.linkNetnsID == nil)
        #expect(vA.isUp)
        #expect(vA.flags.contains(.lowerUp))
        #expect(vA.operationalState == .up)
        #expect(vA.mtu == 1500)
        #expect(vA.address == links[3].address, "a bridge takes its first port's MAC")
        #expect(links[0].flags.names == ["LOOPBACK", "UP", "LOWER_UP", "RUNNING"])
        #expect(links[0].operationalState == .unknown)
        #expect(links[4].operationalState == .down)
        #expect(links[5].linkNetnsID == 0, "vC's peer is in another namespace")
        #expect(links[5].link == 2, "its index there")
    }

    /// `ip -d link show mv0` for a macvlan in private mode on vA (index 3; its veth peer vB is
    /// 2): the kind, its mode and the parent, which ip prints as `mv0@vA` and `macvlan mode private`.
    @Test func macvlanLink() throws {
        // ip asked for mv0 first, then for the links it names.
        let replies = try NetlinkFixture("dump-macvlan").allReplies().filter { if case .link = $0.payload { true } else { false } }
        guard case .link(let message)? = replies.first?.payload else { Issue.record("\(replies)"); return }
        let link = Link(message)
        #expect(link.name == "mv0" && link.index == 4)
        #expect(link.kind == "macvlan")
        #expect(link.mode == "private")
        #expect(link.link == 3, "the parent, vA")
        #expect(link.linkNetnsID == nil, "the parent is beside it")
        #expect(link.address?.description == "ba:af:71:b8:b3:02")
        #expect(replies[0].description.contains(#"linkinfo={kind="macvlan", mode=private, ...}"#), "\(replies[0])")
    }

    @Test func linkDumpComesInSeveralDatagrams() throws {
        let fixture = try NetlinkFixture("dump-addresses")
        let first = try NetlinkMessage.decode(fixture.received[0])
        #expect(first.count == 2)
        #expect(first.allSatisfy { $0.flags.contains(.multi) })
        #expect(try NetlinkMessage.decode(fixture.received[3]).map(\.description) == ["NLMSG_DONE"])
    }

    @Test func linkRendering() throws {
        let reply = try #require(try NetlinkFixture("dump-links").allReplies().first { reply in
            if case .link(let link) = reply.payload { link.name == "vA" } else { false }
        })
        let description = reply.description
        #expect(description.hasPrefix(#"RTM_NEWLINK flags=MULTI index=3 <BROADCAST,MULTICAST,UP,LOWER_UP,RUNNING> ifname="vA" operstate=UP mtu=1500 master=4 address="#))
        #expect(description.hasSuffix(#"linkinfo={kind="veth", slave_kind="bridge", ...} link=2 ..."#))
    }

    @Test func linkKindsDecoded() throws {
        let replies = try NetlinkFixture("dump-links").allReplies()
        let infos = replies.compactMap { reply -> LinkInfo? in
            if case .link(let link) = reply.payload { link.linkInfo } else { nil }
        }
        let vxlan = try #require(infos.first { $0.kind == "vxlan" })
        #expect(vxlan.data.count > 5)
        let bridge = try #require(infos.first { $0.kind == "bridge" })
        #expect(bridge.data.isEmpty == false)
        let request = try NetlinkMessage.decode(try NetlinkFixture("veth-add").request)
        guard case .link(let link)? = request.first?.payload else { Issue.record("not a link message"); return }
        #expect(link.linkInfo?.peer?.name == "veth-blue")
        #expect(link.name == "veth-red")
    }

    @Test func addressDump() throws {
        let addresses = try NetlinkFixture("dump-addresses").allReplies().compactMap { reply in
            if case .address(let address) = reply.payload { Address(address) } else { nil }
        }
        #expect(addresses.map(\.prefix.description) == [
            "127.0.0.1/8", "10.0.0.1/24", "::1/128", "fe80::24e9:9cff:fe4b:e7da/64", "fe80::40e0:b6ff:fe79:59ed/64",
            "fd00::1/64", "fe80::40e0:b6ff:fe79:59ed/64",
        ])
        #expect(addresses.map(\.index) == [1, 4, 1, 2, 3, 4, 4])
        #expect(addresses[1].label == "br0")
        #expect(addresses[1].scope == .universe)
        #expect(addresses[0].scope == .host)
        #expect(addresses[5].flags == [.noDAD, .permanent])
        #expect(addresses[3].flags.contains(.tentative))
        #expect(addresses[1].description == "inet 10.0.0.1/24 scope global index 4 PERMANENT")
    }

    @Test func routeDump() throws {
        let routes = try NetlinkFixture("dump-routes").allReplies().compactMap { reply in
            if case .route(let route) = reply.payload { Route(route) } else { nil }
        }
        #expect(routes.map(\.description) == [
            "default via 10.0.0.254 dev 4",
            "10.0.0.0/24 dev 4 proto kernel scope link src 10.0.0.1",
        ])
        #expect(routes[0].destination == .defaultIPv4)
        #expect(routes.allSatisfy { $0.table == .main && $0.type == .unicast })
        let ipv6 = try NetlinkFixture("dump-routes-ipv6").allReplies().compactMap { reply in
            if case .route(let route) = reply.payload { Route(route) } else { nil }
        }
        #expect(ipv6.map(\.description) == [
            "fd00::/64 dev 4 proto kernel metric 256", "fe80::/64 dev 2 proto kernel metric 256",
            "fe80::/64 dev 3 proto kernel metric 256", "fe80::/64 dev 4 proto kernel metric 256",
        ])
        let first = try #require(try NetlinkFixture("dump-routes").allReplies().first)
        #expect(first.description
            == "RTM_NEWROUTE flags=MULTI|DUMP_FILTERED family=AF_INET protocol=boot type=unicast table=main gateway=10.0.0.254 oif=4")
    }

    @Test func neighbourDump() throws {
        let neighbours = try NetlinkFixture("dump-neighbours").allReplies().compactMap { reply in
            if case .neighbour(let neighbour) = reply.payload { Neighbour(neighbour) } else { nil }
        }
        let gateway = try #require(neighbours.first { $0.address == IPAddress("10.0.0.254") })
        #expect(gateway.linkAddress == MACAddress("02:00:00:00:00:fe"))
        #expect(gateway.state == .permanent)
        #expect(gateway.index == 4)
        #expect(gateway.description == "10.0.0.254 dev 4 lladdr 02:00:00:00:00:fe PERMANENT")
        #expect(neighbours.count == 5)
    }

    @Test func bridgeForwardingDatabase() throws {
        let entries = try NetlinkFixture("dump-fdb").allReplies().compactMap { reply in
            if case .neighbour(let neighbour) = reply.payload { BridgeFDBEntry(neighbour) } else { nil }
        }
        #expect(entries.count == 17)
        let byHand = try #require(entries.first { $0.linkAddress == MACAddress("02:00:00:00:00:aa") })
        #expect(byHand.port == 3)
        #expect(byHand.master == 4)
        #expect(byHand.isStatic && !byHand.isPermanent)
        #expect(byHand.description == "02:00:00:00:00:aa dev 3 master 4 static")
        let learned = try #require(entries.first { $0.port == 3 && $0.state == .reachable })
        #expect(!learned.isStatic && !learned.isPermanent)
        let vxlan = try #require(entries.first { $0.port == 5 })
        #expect(vxlan.destination == IPAddress("10.0.0.2"))
        #expect(vxlan.linkAddress == MACAddress("00:00:00:00:00:00"))
        #expect(vxlan.flags == .own)
        #expect(vxlan.description == "00:00:00:00:00:00 dev 5 dst 10.0.0.2 self permanent")
        let own = entries.filter { $0.port == 2 }
        #expect(own.allSatisfy { $0.flags == .own && $0.isPermanent && $0.master == nil })
    }
}
