import Kernel
import Testing

/// flannel's vxlan backend by hand, on lab 11's node2: BoxLab's requests against the bytes
/// ip and bridge sent for the same commands, and the kernel's dumps of the result decoded
/// into what they printed (Fixtures/netlink-*-flannel*, neigh-*, fdb-*, route-*-onlink,
/// recorded by scripts/capture-vxlan-fixtures). In those namespaces eth0 was link 3 and
/// flannel.1 link 4. No root needed.
@Suite struct VXLANNetlinkTests {
    private let eth0: Int32 = 3, flannel: Int32 = 4
    private let remoteMAC = MACAddress("0e:00:00:00:02:00")!
    private let remoteSubnet = IPAddress("172.18.2.0")!
    private let node3 = IPAddress("192.168.32.130")!

    private func expectSameBytes(_ message: NetlinkMessage, as fixtureName: String) throws {
        let fixture = try NetlinkFixture(fixtureName)
        #expect(unnumbered(message.encoded()) == unnumbered(fixture.request), "\(message)")
        #expect(try fixture.reply().map(\.description) == ["NLMSG_ERROR error=0 (ACK)"], "\(fixtureName)")
    }

    @Test func flannelsDevice() throws {
        let options = VXLANOptions(id: 1, local: IPAddress("192.168.32.129"), port: 8472, device: .index(eth0), learning: false)
        let request = try NetlinkMessage.addLink(
            "flannel.1", .vxlan(options), settings: [.address(try #require(MACAddress("0e:00:00:00:01:00")))], resolve: fixtureIndex
        )
        try expectSameBytes(request, as: "vxlan-add-flannel")
        #expect(request.description == """
            RTM_NEWLINK flags=REQUEST|ACK|CREATE|EXCL address=0e:00:00:00:01:00 ifname="flannel.1" \
            linkinfo={kind="vxlan", link=3, id=1, local=192.168.32.129, learning=0, port=8472}
            """)
    }

    /// ip writes srcport, ttl and ageing as it reads them, before the id.
    @Test func sourcePortsTTLAndAgeing() throws {
        let options = VXLANOptions(
            id: 1, local: IPAddress("192.168.32.129"), port: 8472, device: .index(eth0), learning: false,
            sourcePorts: 1000...2000, ttl: 64, ageing: 100
        )
        try expectSameBytes(try NetlinkMessage.addLink("vx", .vxlan(options), resolve: fixtureIndex), as: "vxlan-add-ports")
    }

    @Test func permanentNeighbour() throws {
        try expectSameBytes(.addNeighbour(remoteSubnet, linkAddress: remoteMAC, deviceIndex: flannel), as: "neigh-add-permanent")
        try expectSameBytes(.addNeighbour(remoteSubnet, linkAddress: remoteMAC, deviceIndex: flannel, replace: true), as: "neigh-replace")
        try expectSameBytes(.deleteNeighbour(remoteSubnet, deviceIndex: flannel), as: "neigh-del")
        #expect(NetlinkMessage.addNeighbour(remoteSubnet, linkAddress: remoteMAC, deviceIndex: flannel).description == """
            RTM_NEWNEIGH flags=REQUEST|ACK|CREATE|EXCL family=AF_INET index=4 state=PERMANENT dst=172.18.2.0 lladdr=0e:00:00:00:02:00
            """)
    }

    @Test func forwardingEntries() throws {
        try expectSameBytes(.addForwardingEntry(remoteMAC, deviceIndex: flannel, destination: node3, mode: .append), as: "fdb-append")
        try expectSameBytes(.addForwardingEntry(remoteMAC, deviceIndex: flannel, destination: node3), as: "fdb-add")
        try expectSameBytes(.addForwardingEntry(remoteMAC, deviceIndex: flannel, destination: node3, mode: .replace), as: "fdb-replace")
        try expectSameBytes(.deleteForwardingEntry(remoteMAC, deviceIndex: flannel, destination: node3), as: "fdb-del")
        #expect(NetlinkMessage.addForwardingEntry(remoteMAC, deviceIndex: flannel, destination: node3, mode: .append).description == """
            RTM_NEWNEIGH flags=REQUEST|ACK|CREATE|APPEND family=AF_BRIDGE index=4 state=NOARP|PERMANENT ndm_flags=SELF \
            lladdr=0e:00:00:00:02:00 dst=192.168.32.130
            """)
    }

    @Test func onlinkRoute() throws {
        let subnet = try #require(IPPrefix("172.18.2.0/24"))
        try expectSameBytes(.addRoute(subnet, via: remoteSubnet, deviceIndex: flannel, onlink: true), as: "route-add-onlink")
        try expectSameBytes(.addRoute(subnet, via: remoteSubnet, deviceIndex: flannel, onlink: true, replace: true), as: "route-replace-onlink")
        #expect(NetlinkMessage.addRoute(subnet, via: remoteSubnet, deviceIndex: flannel, onlink: true).description == """
            RTM_NEWROUTE flags=REQUEST|ACK|CREATE|EXCL family=AF_INET table=main protocol=boot type=unicast rtm_flags=ONLINK \
            dst=172.18.2.0/24 gateway=172.18.2.0 oif=4
            """)
    }

    /// ip -d link show: `vxlan id 1 local 192.168.32.129 dev eth0 srcport 0 0 dstport 8472 nolearning ttl auto ageing 300`.
    @Test func dumpedDevice() throws {
        let links = try NetlinkFixture("dump-flannel-links").allReplies().compactMap { reply in
            if case .link(let link) = reply.payload { Link(link) } else { nil }
        }
        let device = try #require(links.first { $0.name == "flannel.1" })
        #expect(device.kind == "vxlan")
        #expect(device.address == MACAddress("0e:00:00:00:01:00"))
        #expect(device.mtu == 1450, "50 bytes less than eth0's for the outer headers")
        let vxlan = try #require(device.vxlan)
        #expect(vxlan == VXLANOptions(
            id: 1, local: IPAddress("192.168.32.129"), port: 8472, device: .index(eth0), learning: false,
            sourcePorts: 0...0, ttl: 0, ageing: 300
        ))
        #expect(links.allSatisfy { $0.name == "flannel.1" || $0.vxlan == nil })
    }

    @Test func dumpedNeighbour() throws {
        let neighbours = try NetlinkFixture("dump-flannel-neighbours").allReplies().compactMap { reply in
            if case .neighbour(let neighbour) = reply.payload { Neighbour(neighbour) } else { nil }
        }
        let entry = try #require(neighbours.first { $0.address == remoteSubnet })
        #expect(entry.description == "172.18.2.0 dev 4 lladdr 0e:00:00:00:02:00 PERMANENT")
    }

    @Test func dumpedForwardingEntry() throws {
        let entries = try NetlinkFixture("dump-flannel-fdb").allReplies().compactMap { reply in
            if case .neighbour(let neighbour) = reply.payload { BridgeFDBEntry(neighbour) } else { nil }
        }
        let entry = try #require(entries.first { $0.linkAddress == remoteMAC })
        #expect(entry.destination == node3)
        #expect(entry.description == "0e:00:00:00:02:00 dev 4 dst 192.168.32.130 self permanent")
    }

    @Test func dumpedRoute() throws {
        let routes = try NetlinkFixture("dump-flannel-routes").allReplies().compactMap { reply in
            if case .route(let route) = reply.payload { Route(route) } else { nil }
        }
        let route = try #require(routes.first { $0.destination == IPPrefix("172.18.2.0/24") })
        #expect(route.onlink)
        #expect(route.description == "172.18.2.0/24 via 172.18.2.0 dev 4 onlink")
        #expect(routes.filter(\.onlink).count == 1)
    }
}
