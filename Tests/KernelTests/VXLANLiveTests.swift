import Glibc
import Kernel
import Testing

/// flannel's vxlan backend wired by hand with BoxLab's own requests, on lab 11's node2 (in a
/// scratch namespace, never the machine's), each result dumped back and compared with what
/// ip and bridge print.
@Suite(.enabled(if: getuid() == 0, "changing links needs root"))
struct VXLANLiveTests {
    @Test func flannelsDeviceNeighbourForwardingEntryAndRoute() throws {
        try withNamespaceDirectory { namespaces in
            try namespaces.add("node2")
            let node2 = try RouteNetlink(in: namespaces.open("node2"))
            try node2.addLink("eth0", .veth(peer: "port-node2"))
            try node2.addAddress(try #require(IPPrefix("192.168.32.129/24")), to: "eth0")
            try node2.setLink("eth0", [.up])
            let options = VXLANOptions(id: 1, local: IPAddress("192.168.32.129"), port: 8472, device: "eth0", learning: false)
            try node2.addLink("flannel.1", .vxlan(options), settings: [.address(try #require(MACAddress("0e:00:00:00:01:00")))])
            try node2.addAddress(try #require(IPPrefix("172.18.1.0/32")), to: "flannel.1")
            try node2.setLink("flannel.1", [.up])

            let device = try node2.link("flannel.1")
            let eth0 = try node2.index(of: "eth0")
            #expect(device.vxlan == VXLANOptions(
                id: 1, local: IPAddress("192.168.32.129"), port: 8472, device: .index(eth0), learning: false,
                sourcePorts: 0...0, ttl: 0, ageing: 300
            ))
            let details = try iproute2(["-n", "node2", "-d", "link", "show", "flannel.1"], namespaces: namespaces)
            #expect(details.contains("vxlan id 1 local 192.168.32.129 dev eth0 srcport 0 0 dstport 8472 nolearning ttl auto ageing 300"))

            let mac = try #require(MACAddress("0e:00:00:00:02:00"))
            let subnet = try #require(IPAddress("172.18.2.0")), node3 = try #require(IPAddress("192.168.32.130"))
            try node2.addNeighbour(subnet, linkAddress: mac, device: "flannel.1")
            let taken = try #require(throws: KernelError.self) { try node2.addNeighbour(subnet, linkAddress: mac, device: "flannel.1") }
            #expect(taken.errno == .EEXIST)
            try node2.addNeighbour(subnet, linkAddress: mac, device: "flannel.1", replace: true)
            let neighbours = try node2.neighbours(family: .inet).filter { $0.address == subnet }
            #expect(neighbours.map(\.description) == ["172.18.2.0 dev \(device.index) lladdr 0e:00:00:00:02:00 PERMANENT"])
            #expect(try iproute2(["-n", "node2", "neigh", "show", "dev", "flannel.1"], namespaces: namespaces)
                == "172.18.2.0 lladdr 0e:00:00:00:02:00 PERMANENT \n")

            try node2.addForwardingEntry(mac, device: "flannel.1", destination: node3, mode: .append)
            let second = try #require(IPAddress("192.168.32.131"))
            try node2.addForwardingEntry(mac, device: "flannel.1", destination: second, mode: .append)
            let entries = { (mac: MACAddress) throws(KernelError) in try node2.bridgeFDB().filter { $0.linkAddress == mac } }
            #expect(try entries(mac).map(\.description) == ["0e:00:00:00:02:00 dev \(device.index) dst 192.168.32.130 self permanent"],
                    "a unicast MAC has one remote: append leaves it be")
            let everyone = try #require(MACAddress("00:00:00:00:00:00"))
            try node2.addForwardingEntry(everyone, device: "flannel.1", destination: node3, mode: .append)
            try node2.addForwardingEntry(everyone, device: "flannel.1", destination: second, mode: .append)
            #expect(Set(try entries(everyone).compactMap(\.destination)) == [node3, second], "the all-zeros MAC's list grows")
            try node2.deleteForwardingEntry(everyone, device: "flannel.1", destination: second)
            #expect(try entries(everyone).compactMap(\.destination) == [node3])
            try node2.addForwardingEntry(mac, device: "flannel.1", destination: second, mode: .replace)
            #expect(try entries(mac).compactMap(\.destination) == [second])
            let exists = try #require(throws: KernelError.self) {
                try node2.addForwardingEntry(mac, device: "flannel.1", destination: node3)
            }
            #expect(exists.errno == .EEXIST)
            try node2.addForwardingEntry(mac, device: "flannel.1", destination: node3, mode: .replace)
            #expect(try iproute2(["-n", "node2", "fdb", "show", "dev", "flannel.1"], program: "bridge", namespaces: namespaces)
                .contains("0e:00:00:00:02:00 dst 192.168.32.130 self permanent"))

            let remote = try #require(IPPrefix("172.18.2.0/24"))
            let unreachable = try #require(throws: KernelError.self) { try node2.addRoute(remote, via: subnet, device: "flannel.1") }
            #expect(unreachable.errno == Errno(ENETUNREACH), "172.18.2.0 is on no network flannel.1 has")
            try node2.addRoute(remote, via: subnet, device: "flannel.1", onlink: true)
            try node2.addRoute(remote, via: subnet, device: "flannel.1", onlink: true, replace: true)
            let routes = try node2.routes().filter { $0.destination == remote }
            #expect(routes.map(\.description) == ["172.18.2.0/24 via 172.18.2.0 dev \(device.index) onlink"])
            #expect(try iproute2(["-n", "node2", "route", "show", "172.18.2.0/24"], namespaces: namespaces)
                == "172.18.2.0/24 via 172.18.2.0 dev flannel.1 onlink \n")

            try node2.deleteNeighbour(subnet, device: "flannel.1")
            try node2.deleteForwardingEntry(mac, device: "flannel.1")
            #expect(try node2.neighbours(family: .inet).filter { $0.address == subnet }.isEmpty)
            try node2.deleteForwardingEntry(everyone, device: "flannel.1")
            #expect(try entries(mac).isEmpty && entries(everyone).isEmpty)
            let gone = try #require(throws: KernelError.self) { try node2.deleteNeighbour(subnet, device: "flannel.1") }
            #expect(gone.errno == .ENOENT)
        }
    }
}
