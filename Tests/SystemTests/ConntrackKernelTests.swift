import Foundation
import Glibc
import Kernel
import Testing

/// ctnetlink for real, below the lab language: three namespaces of the test's own (a router
/// between a container and the outside), a masquerade made with BoxLab's nf_tables client, a
/// TCP connection, and the router's table read back with `Conntrack`.
@Suite(.enabled(if: Harness.isRoot, "needs root: network namespaces, links and nf_tables"))
struct ConntrackKernelTests {
    @Test("a masqueraded connection is one flow in the router's table, with the rewrite in its reply tuple")
    func masqueradedFlow() throws {
        let harness = Harness()
        let namespaces = NetworkNamespaces(directory: harness.base + "/netns")
        defer {
            for name in ["router", "c", "o"] { try? namespaces.delete(name) }
            while (try? MountTable.read().mount(at: namespaces.directory)) != nil {
                guard (try? Mounts.unmount(namespaces.directory, flags: .detach)) != nil else { break }
            }
            try? FileSystem.rmdir(namespaces.directory)
        }
        for name in ["router", "c", "o"] { try namespaces.add(name) }
        let router = try namespaces.open("router"), container = try namespaces.open("c"), outside = try namespaces.open("o")
        let routing = try RouteNetlink(in: router)
        try routing.addLink("veth-c", .veth(peer: "eth0", peerNamespace: .namespace(container)))
        try routing.addLink("veth-o", .veth(peer: "eth0", peerNamespace: .namespace(outside)))
        try routing.addAddress(IPPrefix("172.17.0.1/16")!, to: "veth-c")
        try routing.addAddress(IPPrefix("203.0.113.2/24")!, to: "veth-o")
        for link in ["veth-c", "veth-o"] { try routing.setLink(.name(link), [.up]) }
        let inContainer = try RouteNetlink(in: container)
        try inContainer.addAddress(IPPrefix("172.17.0.2/16")!, to: "eth0")
        try inContainer.setLink("eth0", [.up])
        try inContainer.addRoute(IPPrefix.defaultIPv4, via: IPAddress("172.17.0.1"))
        let inOutside = try RouteNetlink(in: outside)
        try inOutside.addAddress(IPPrefix("203.0.113.1/24")!, to: "eth0")
        try inOutside.setLink("eth0", [.up])
        // /proc/sys/net is the namespace of the thread that opens it.
        try router.perform { () throws(KernelError) in try FileSystem.writeFile("/proc/sys/net/ipv4/ip_forward", Array("1\n".utf8)) }

        #expect(try Conntrack(in: router).flows().isEmpty, "no rule needs tracking yet")
        try NFTables(in: router).commit([
            .newTable(NFTTable(name: "nat")),
            .newChain(NFTChain(table: "nat", name: "POSTROUTING", base: .init(hook: .postrouting, priority: 100, type: "nat"))),
            .newRule(NFTRule(table: "nat", chain: "POSTROUTING", expressions: [
                .payload(base: .network, offset: 12, length: 4, into: .r1), .bitwise(.r1, into: .r1, mask: [255, 255, 0, 0], xor: [0, 0, 0, 0]),
                .compare(.equal, .r1, [172, 17, 0, 0]), .masquerade(),
            ])),
        ])

        let listener = try outside.perform { () throws(KernelError) in try TCPListener(IPAddress("203.0.113.1")!, port: 80) }
        let client = try container.perform { () throws(KernelError) in try TCPConnect.probe(IPAddress("203.0.113.1")!, port: 80) }
        #expect(client.address.description == "172.17.0.2")
        let peer = try #require(try listener.acceptPeer(timeout: 2))
        #expect(peer.address.description == "203.0.113.2", "the server saw the router's address")

        let flows = try Conntrack(in: router).flows().filter { $0.original.protocolNumber == 6 }
        let flow = try #require(flows.first, "\(flows)")
        #expect(flows.count == 1)
        #expect(flow.original == ConntrackTuple(source: client.address, destination: IPAddress("203.0.113.1")!, protocolNumber: 6, sourcePort: client.port, destinationPort: 80))
        #expect(flow.reply.source.description == "203.0.113.1" && flow.reply.sourcePort == 80)
        #expect(flow.reply.destination == peer.address && flow.reply.destinationPort == peer.port)
        #expect(flow.status.contains([.sourceNAT, .seenReply, .confirmed]))
        #expect(flow.tcpState != nil)
        #expect(flow.translations.map(\.kind) == [.source])
        #expect(flow.translations.first?.to == "203.0.113.2:\(peer.port)")
        #expect(try Conntrack(in: outside).flows().isEmpty, "the outside has no rule that needs tracking")

        // A second listener on the same port is refused while the first one listens.
        let taken = #expect(throws: KernelError.self) {
            try outside.perform { () throws(KernelError) in try TCPListener(IPAddress("203.0.113.1")!, port: 80) }
        }
        #expect(taken?.errno == Errno(EADDRINUSE))
    }
}
