import Glibc
import Kernel
import Testing

/// BoxLab's requests against the bytes `ip` sent for the same command (Fixtures/netlink-*.hex),
/// sequence numbers aside, and the kernel's answers decoded. No root needed.
@Suite struct NetlinkRequestTests {
    private func expectSameBytes(_ message: NetlinkMessage, as fixtureName: String) throws {
        let fixture = try NetlinkFixture(fixtureName)
        #expect(unnumbered(message.encoded()) == unnumbered(fixture.request), "\(message)")
    }

    @Test func vethPair() throws {
        let request = try NetlinkMessage.addLink("veth-red", .veth(peer: "veth-blue"), resolve: fixtureIndex)
        try expectSameBytes(request, as: "veth-add")
        #expect(request.description
            == #"RTM_NEWLINK flags=REQUEST|ACK|CREATE|EXCL ifname="veth-red" linkinfo={kind="veth", peer={ifname="veth-blue"}}"#)
        #expect(try NetlinkFixture("veth-add").reply().map(\.description) == ["NLMSG_ERROR error=0 (ACK)"])
    }

    /// `ip` held the namespace open as descriptor 4; this process gets another number.
    @Test func vethPeerInAnotherNamespace() throws {
        let namespace = try NetworkNamespace.current()
        let request = try NetlinkMessage.addLink(
            "veth-red", .veth(peer: "veth-blue", peerNamespace: .namespace(namespace)), resolve: fixtureIndex
        )
        let fixture = try NetlinkFixture("veth-add-peer-netns")
        var expected = fixture.request
        let descriptor = try #require(expected.firstRange(of: [0x08, 0x00, 0x1c, 0x00])).upperBound
        #expect(expected[descriptor..<(descriptor + 4)] == [4, 0, 0, 0])
        withUnsafeBytes(of: namespace.descriptor.rawValue) { expected.replaceSubrange(descriptor..<(descriptor + 4), with: $0) }
        #expect(unnumbered(request.encoded()) == unnumbered(expected))
        #expect(request.description == """
            RTM_NEWLINK flags=REQUEST|ACK|CREATE|EXCL ifname="veth-red" \
            linkinfo={kind="veth", peer={net_ns_fd=\(namespace.descriptor), ifname="veth-blue"}}
            """)
    }

    @Test func bridge() throws {
        try expectSameBytes(try NetlinkMessage.addLink("br0", .bridge, resolve: fixtureIndex), as: "bridge-add")
    }

    @Test func vxlanToOneRemote() throws {
        let options = VXLANOptions(
            id: 42, local: IPAddress("10.1.1.1"), remote: IPAddress("10.1.1.2"), port: 4789, device: "vA", learning: false
        )
        let request = try NetlinkMessage.addLink("vxlan42", .vxlan(options), resolve: fixtureIndex)
        try expectSameBytes(request, as: "vxlan-add")
        #expect(request.description == """
            RTM_NEWLINK flags=REQUEST|ACK|CREATE|EXCL ifname="vxlan42" \
            linkinfo={kind="vxlan", link=3, id=42, local=10.1.1.1, group=10.1.1.2, learning=0, port=4789}
            """)
    }

    @Test func vxlanToAMulticastGroup() throws {
        let options = VXLANOptions(id: 7, remote: IPAddress("239.1.1.1"), port: 4789, device: "vA")
        try expectSameBytes(try NetlinkMessage.addLink("vxlan7", .vxlan(options), resolve: fixtureIndex), as: "vxlan-add-group")
    }

    @Test func macvlanOnAParent() throws {
        let request = try NetlinkMessage.addLink("mv0", .macvlan(.bridge), parent: "vA", resolve: fixtureIndex)
        try expectSameBytes(request, as: "macvlan-add")
        #expect(request.description
            == #"RTM_NEWLINK flags=REQUEST|ACK|CREATE|EXCL link=3 ifname="mv0" linkinfo={kind="macvlan", mode=bridge}"#)
    }

    /// Every mode goes as `ip` sends it: IFLA_MACVLAN_MODE is a u32 of flag values,
    /// IFLA_IPVLAN_MODE a u16 followed by the flags.
    @Test func everyMode() throws {
        let macvlan = try NetlinkMessage.addLink("mv0", .macvlan(.private), parent: "vA", resolve: fixtureIndex)
        #expect(macvlan.description.hasSuffix(#"linkinfo={kind="macvlan", mode=private}"#))
        #expect(MACVLANMode.allCases.map(\.rawValue) == [1, 2, 4, 8, 16])
        #expect(IPVLANMode.allCases.map(\.description) == ["l2", "l3", "l3s"])
        let ipvlan = try NetlinkMessage.addLink("ipv0", .ipvlan(.l3), parent: "vA", resolve: fixtureIndex)
        #expect(ipvlan.description.hasSuffix(#"linkinfo={kind="ipvlan", mode=l3, flags=0}"#))
    }

    /// `ip link set mv0 type macvlan mode private`: the kind and its new settings.
    @Test func macvlanModeChanged() throws {
        let request = try NetlinkMessage.setLink(index: 4, [.kind(.macvlan(.private))], resolve: fixtureIndex)
        try expectSameBytes(request, as: "link-set-macvlan-mode")
        #expect(request.description == #"RTM_NEWLINK flags=REQUEST|ACK index=4 linkinfo={kind="macvlan", mode=private}"#)
        #expect(try NetlinkFixture("link-set-macvlan-mode").reply().map(\.description) == ["NLMSG_ERROR error=0 (ACK)"])
    }

    /// This kernel has no ipvlan and no dummy: the request is still `ip`'s, the answer the kernel's.
    @Test func kindsTheKernelLacks() throws {
        try expectSameBytes(try NetlinkMessage.addLink("ipv0", .ipvlan(.l2), parent: "vA", resolve: fixtureIndex), as: "ipvlan-add")
        try expectSameBytes(try NetlinkMessage.addLink("dummy0", .dummy, resolve: fixtureIndex), as: "dummy-add")
        for name in ["ipvlan-add", "dummy-add"] {
            let reply = try #require(try NetlinkFixture(name).reply().first)
            guard case .error(let error) = reply.payload else { Issue.record("\(reply)"); continue }
            #expect(error.errno == .EOPNOTSUPP)
            #expect(error.message == "Unknown device type")
            #expect(reply.description == #"NLMSG_ERROR error=-EOPNOTSUPP (Operation not supported) msg="Unknown device type""#)
        }
    }

    @Test func linkThatExists() throws {
        let request = try NetlinkMessage.addLink("vA", .veth(peer: "vC"), resolve: fixtureIndex)
        try expectSameBytes(request, as: "link-add-exists")
        let reply = try #require(try NetlinkFixture("link-add-exists").reply().first)
        guard case .error(let error) = reply.payload else { Issue.record("\(reply)"); return }
        #expect(error.errno == .EEXIST)
        // Not capped: the kernel echoes the whole request after its own header.
        #expect(error.request.count == request.encoded().count)
        #expect(error.request[16...] == request.encoded()[16...])
    }

    @Test func lookupByName() throws {
        let lookup = try NetlinkMessage.getLink("vA")
        #expect(unnumbered(lookup.encoded()) == unnumbered(try NetlinkFixture("link-set-up").sent[0]))
        #expect(lookup.description == #"RTM_GETLINK flags=REQUEST ext_mask=VF|SKIP_STATS ifname="vA""#)
        #expect(unnumbered(try NetlinkMessage.getLink("nosuch").encoded())
            == unnumbered(try NetlinkFixture("link-del-missing").request))
        #expect(try NetlinkFixture("link-del-missing").reply().map(\.description) == ["NLMSG_ERROR error=-ENODEV (No such device)"])
    }

    @Test func linkChanges() throws {
        let cases: [(LinkChange, String, String)] = [
            (.up, "link-set-up", "set=<UP>"),
            (.down, "link-set-down", "clear=<UP>"),
            (.master("br0"), "link-set-master", "master=4"),
            (.noMaster, "link-set-nomaster", "master=0"),
            (.name("veth0"), "link-set-name", #"ifname="veth0""#),
            (.mtu(1400), "link-set-mtu", "mtu=1400"),
            (.address(try #require(MACAddress("02:00:00:00:00:01"))), "link-set-address", "address=02:00:00:00:00:01"),
        ]
        for (change, fixtureName, rendered) in cases {
            let request = try NetlinkMessage.setLink(index: 3, [change], resolve: fixtureIndex)
            try expectSameBytes(request, as: fixtureName)
            #expect(request.description == "RTM_NEWLINK flags=REQUEST|ACK index=3 \(rendered)")
        }
    }

    @Test func moveToTheNamespaceOfAProcess() throws {
        let fixture = try NetlinkFixture("link-set-netns-pid")
        let pid = fixture.request[36..<40].withUnsafeBytes { $0.loadUnaligned(as: Int32.self) }
        try expectSameBytes(try NetlinkMessage.setLink(index: 2, [.namespace(.pid(pid))], resolve: fixtureIndex), as: "link-set-netns-pid")
    }

    @Test func moveToANamespaceFile() throws {
        let namespace = try NetworkNamespace.current()
        let request = try NetlinkMessage.setLink(index: 2, [.namespace(.namespace(namespace))], resolve: fixtureIndex)
        var expected = try NetlinkFixture("link-set-netns").request
        #expect(expected[36..<40] == [4, 0, 0, 0])
        withUnsafeBytes(of: namespace.descriptor.rawValue) { expected.replaceSubrange(36..<40, with: $0) }
        #expect(unnumbered(request.encoded()) == unnumbered(expected))
    }

    /// `ip link show` asks which namespace a `link-netnsid` stands for, by descriptor.
    @Test func namespaceIDs() throws {
        let namespace = try NetworkNamespace.current()
        let request = NetlinkMessage.getNamespaceID(.namespace(namespace))
        let fixture = try NetlinkFixture("dump-links")
        var expected = fixture.requests[1]
        #expect(expected[24..<28] == [6, 0, 0, 0])
        withUnsafeBytes(of: namespace.descriptor.rawValue) { expected.replaceSubrange(24..<28, with: $0) }
        #expect(unnumbered(request.encoded()) == unnumbered(expected))
        #expect(request.description == "RTM_GETNSID flags=REQUEST fd=\(namespace.descriptor)")
        let reply = try #require(try fixture.reply().first)
        #expect(reply.description == "RTM_NEWNSID nsid=0")
        guard case .namespaceID(let answer) = reply.payload else { Issue.record("\(reply)"); return }
        #expect(answer.namespaceID == 0)
    }

    @Test func deleteLink() throws {
        try expectSameBytes(NetlinkMessage.deleteLink(index: 3), as: "link-del")
        #expect(NetlinkMessage.deleteLink(index: 3).description == "RTM_DELLINK flags=REQUEST|ACK index=3")
    }

    @Test func addresses() throws {
        let ipv4 = try #require(IPPrefix("10.0.0.1/24"))
        try expectSameBytes(NetlinkMessage.addAddress(ipv4, index: 3), as: "addr-add-ipv4")
        try expectSameBytes(NetlinkMessage.addAddress(try #require(IPPrefix("fd00::1/64")), index: 3), as: "addr-add-ipv6")
        try expectSameBytes(NetlinkMessage.deleteAddress(ipv4, index: 3), as: "addr-del-ipv4")
        #expect(NetlinkMessage.addAddress(ipv4, index: 3).description
            == "RTM_NEWADDR flags=REQUEST|ACK|CREATE|EXCL family=AF_INET prefixlen=24 index=3 local=10.0.0.1 address=10.0.0.1")
    }

    @Test func routes() throws {
        let gateway = try #require(IPAddress("10.0.0.254"))
        try expectSameBytes(NetlinkMessage.addRoute(.defaultIPv4, via: gateway), as: "route-add-default")
        try expectSameBytes(NetlinkMessage.addRoute(try #require(IPPrefix("10.9.0.0/16")), deviceIndex: 3), as: "route-add-dev")
        try expectSameBytes(
            NetlinkMessage.addRoute(try #require(IPPrefix("10.8.0.0/16")), via: gateway, deviceIndex: 3), as: "route-add-via-dev"
        )
        try expectSameBytes(NetlinkMessage.deleteRoute(.defaultIPv4), as: "route-del-default")
        #expect(NetlinkMessage.addRoute(.defaultIPv4, via: gateway).description
            == "RTM_NEWROUTE flags=REQUEST|ACK|CREATE|EXCL family=AF_INET table=main protocol=boot type=unicast gateway=10.0.0.254")
        #expect(NetlinkMessage.addRoute(try #require(IPPrefix("10.9.0.0/16")), deviceIndex: 3).description == """
            RTM_NEWROUTE flags=REQUEST|ACK|CREATE|EXCL family=AF_INET table=main protocol=boot scope=link \
            type=unicast dst=10.9.0.0/16 oif=3
            """)
    }

    /// `ip -6 route add default` also sends `RTA_DST ::` (-6 fixed the family before it read
    /// "default"; without -6 it does not). The kernel reads both alike; BoxLab leaves it out.
    @Test func ipv6DefaultRoute() throws {
        let gateway = try #require(IPAddress("fd00::fe"))
        let request = NetlinkMessage.addRoute(.defaultIPv6, via: gateway)
        var expected = try NetlinkFixture("route-add-ipv6").request
        #expect(expected[28..<32] == [0x14, 0, 0x01, 0], "RTA_DST, 20 bytes")
        expected.removeSubrange(28..<48)
        expected.replaceSubrange(0..<4, with: [UInt8(expected.count), 0, 0, 0])
        #expect(unnumbered(request.encoded()) == unnumbered(expected))
    }

    @Test func unreachableGatewayIsExplained() throws {
        let reply = try #require(try NetlinkFixture("route-add-unreachable").reply().first)
        guard case .error(let error) = reply.payload else { Issue.record("\(reply)"); return }
        #expect(error.errno == Errno(ENETUNREACH))
        #expect(error.message == "Nexthop has invalid gateway")
    }

    @Test func dumpRequests() throws {
        let cases: [(NetlinkMessage, String, Int)] = [
            (.linkDump(), "dump-links", 0), (.addressDump(), "dump-addresses", 1),
            (.routeDump(), "dump-routes", 0), (.routeDump(family: .inet6), "dump-routes-ipv6", 0),
            (.neighbourDump(), "dump-neighbours", 1), (.neighbourDump(family: .bridge), "dump-fdb", 1),
        ]
        for (request, fixtureName, number) in cases {
            #expect(unnumbered(request.encoded()) == unnumbered(try NetlinkFixture(fixtureName).requests[number]), "\(fixtureName)")
        }
        #expect(NetlinkMessage.linkDump().description == "RTM_GETLINK flags=REQUEST|DUMP family=AF_PACKET ext_mask=VF")
        #expect(NetlinkMessage.neighbourDump(family: .bridge).description == "RTM_GETNEIGH flags=REQUEST|DUMP family=AF_BRIDGE")
    }

    @Test func namesAreCheckedBeforeAnythingIsSent() throws {
        let error = try #require(throws: KernelError.self) {
            try NetlinkMessage.addLink("a-name-of-16-byt", .veth(peer: "b"), resolve: fixtureIndex)
        }
        #expect(error.errno == .EINVAL)
        #expect(error.description == """
            RTM_NEWLINK(ifname="a-name-of-16-byt", /* 16 bytes long; a link name has at most 15 (IFNAMSIZ-1) */) \
            failed: EINVAL (Invalid argument)
            """)
        #expect(error.detail == #""a-name-of-16-byt" is 16 bytes long; a link name has at most 15 (IFNAMSIZ-1)"#)
        #expect(throws: KernelError.self) { try NetlinkMessage.addLink("ok", .veth(peer: "has space"), resolve: fixtureIndex) }
        #expect(throws: KernelError.self) { try NetlinkMessage.setLink(index: 3, [.name("a/b")], resolve: fixtureIndex) }
        #expect(throws: KernelError.self) { try NetlinkMessage.getLink("") }
        _ = try NetlinkMessage.addLink("fifteen-bytes-!", .bridge, resolve: fixtureIndex)
    }
}
