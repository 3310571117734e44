@testable import Lab
import Kernel
import Testing

/// What `container run` writes into a container's /etc files, the host ends of its veths,
/// and the subnets `network create` takes: no kernel needed.
@Suite struct UserNetworkModelTests {
    @Test("/etc/hosts as Docker writes it: loopback, IPv6's names, the container, then each link's address, alias and name")
    func hosts() {
        let files = ContainerFiles(hostname: "web", address: "172.18.0.2", links: [("172.17.0.3", "db", "database"), ("172.17.0.4", nil, "cache")], resolver: false)
        #expect(files.hosts == """
            127.0.0.1\tlocalhost
            ::1\tlocalhost ip6-localhost ip6-loopback
            fe00::0\tip6-localnet
            ff00::0\tip6-mcastprefix
            ff02::1\tip6-allnodes
            ff02::2\tip6-allrouters
            172.18.0.2\tweb
            172.17.0.3\tdb database
            172.17.0.4\tcache

            """)
        #expect(ContainerFiles(hostname: "web", address: nil, resolver: false).hosts.split(separator: "\n").count == 6)
        #expect(files.contents(of: "hostname") == "web\n")
    }

    @Test("resolv.conf: Docker's embedded resolver on a user-defined network, and no nameserver at all elsewhere")
    func resolvConf() {
        let user = ContainerFiles(hostname: "web", resolver: true).resolvConf
        #expect(user.hasSuffix("nameserver 127.0.0.11\noptions ndots:0\n"))
        let plain = ContainerFiles(hostname: "web", resolver: false).resolvConf
        #expect(!plain.contains("nameserver") && plain.split(separator: "\n").allSatisfy { $0.hasPrefix("#") })
    }

    @Test("host ends: at most 15 bytes, and one per interface of a container")
    func hostEnds() {
        let name = String(repeating: "n", count: 32)
        let ends = (0...12).map { ContainerState.hostEnd(container: name, interface: "eth\($0)") }
        #expect(ends.allSatisfy { $0.utf8.count <= 15 })
        #expect(Set(ends).count == ends.count)
        #expect(ContainerState.hostEnd(container: "web", interface: "eth0") == "vb-web")
        #expect(ContainerState.hostEnd(container: "web", interface: "eth1") == "vb1-web")
        var state = ContainerState(name: "web", hostname: "web", pid: 1, startTime: 0, endpoints: [])
        #expect(state.nextInterface == "eth0")
        state.endpoints = [.init(network: "a", interface: "eth0", hostEnd: "vb-web", address: "10.0.0.2/24", aliases: [])]
        #expect(state.nextInterface == "eth1" && state.endpoints[0].ipAddress == "10.0.0.2")
    }

    @Test("subnets: no host bits, containment, overlap, and the first host as the gateway")
    func subnets() throws {
        #expect(IPv4Subnet("172.18.0.1/16") == nil && IPv4Subnet("fd00::/64") == nil && IPv4Subnet("nonsense") == nil)
        let subnet = try #require(IPv4Subnet("172.18.0.0/16"))
        #expect(subnet.description == "172.18.0.0/16" && subnet.firstHost.description == "172.18.0.1")
        #expect(subnet.contains(IPAddress("172.18.255.254")!) && !subnet.contains(IPAddress("172.19.0.1")!))
        #expect(subnet.overlaps(IPv4Subnet("172.18.4.0/24")!) && IPv4Subnet("172.0.0.0/8")!.overlaps(subnet))
        #expect(!subnet.overlaps(IPv4Subnet("172.19.0.0/16")!))
    }
}
