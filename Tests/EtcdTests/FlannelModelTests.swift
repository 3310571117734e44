@testable import Etcd
import Kernel
import Testing

@Suite struct FlannelModelTests {
    private let article = Array(#"{"Network":"172.18.0.0/16","SubnetMin":"172.18.1.0","SubnetMax":"172.18.254.0","Backend":{"Type":"vxlan"}}"#.utf8)

    private func subnet(_ text: String) -> IPv4Subnet { IPv4Subnet(text)! }

    @Test func theArticlesConfig() throws {
        let config = try FlannelConfig(json: article)
        #expect(config.network == subnet("172.18.0.0/16"))
        #expect(config.subnetLength == 24)
        #expect(config.subnetMin == subnet("172.18.1.0/24") && config.subnetMax == subnet("172.18.254.0/24"))
        #expect(config.backendType == "vxlan")
    }

    @Test func flannelsDefaults() throws {
        let config = try FlannelConfig(json: Array(#"{"Network":"10.5.0.0/16"}"#.utf8))
        #expect(config.subnetMin == subnet("10.5.1.0/24"))
        #expect(config.subnetMax == subnet("10.5.255.0/24"))
        #expect(config.backendType == "udp")
    }

    @Test func badConfigsAreNamed() {
        let cases: [(String, String)] = [
            (#"{}"#, #"the network config has no "Network" (e.g. "172.18.0.0/16")"#),
            (#"{"Network":"172.18.0.1/16"}"#, "the config's Network 172.18.0.1/16 is not an IPv4 network A.B.C.D/L without host bits"),
            (#"{"Network":"172.18.0.0/16","SubnetLen":16}"#, "the config's SubnetLen 16 must be longer than the Network's /16 and at most 30"),
            (#"{"Network":"172.18.0.0/16","SubnetMin":"172.19.1.0"}"#, "the config's SubnetMin 172.19.1.0 is outside its Network 172.18.0.0/16"),
            (#"{"Network":"172.18.0.0/16","SubnetMax":"172.18.3.7"}"#, "the config's SubnetMax 172.18.3.7 is not the start of a /24"),
            (#"{"Network":"172.18.0.0/16","SubnetMin":"172.18.9.0","SubnetMax":"172.18.3.0"}"#, "the config's SubnetMin 172.18.9.0/24 is above its SubnetMax 172.18.3.0/24"),
            ("not json", "the network config is not flannel's JSON: not json"),
        ]
        for (json, message) in cases {
            #expect(throws: FlannelError(message)) { try FlannelConfig(json: Array(json.utf8)) }
        }
    }

    @Test func theLowestFreeSubnet() throws {
        let config = try FlannelConfig(json: article)
        #expect(config.lowestFreeSubnet(taken: []) == subnet("172.18.1.0/24"))
        #expect(config.lowestFreeSubnet(taken: [subnet("172.18.1.0/24"), subnet("172.18.3.0/24")]) == subnet("172.18.2.0/24"))
        // A subnet outside the range (written by hand) takes nothing inside it.
        #expect(config.lowestFreeSubnet(taken: [subnet("172.18.0.0/24")]) == subnet("172.18.1.0/24"))
        // An overlapping wider lease takes every /24 it covers.
        #expect(config.lowestFreeSubnet(taken: [subnet("172.18.0.0/22")]) == subnet("172.18.4.0/24"))
    }

    @Test func rangeEdgesAndAFullRange() throws {
        let narrow = try FlannelConfig(json: Array(#"{"Network":"172.18.0.0/16","SubnetMin":"172.18.253.0","SubnetMax":"172.18.254.0","Backend":{"Type":"vxlan"}}"#.utf8))
        #expect(narrow.lowestFreeSubnet(taken: [subnet("172.18.253.0/24")]) == subnet("172.18.254.0/24"))
        #expect(narrow.lowestFreeSubnet(taken: [subnet("172.18.253.0/24"), subnet("172.18.254.0/24")]) == nil)
        // The top of the address space: the walk past SubnetMax must not overflow.
        let top = try FlannelConfig(json: Array(#"{"Network":"255.255.255.0/24","SubnetLen":30}"#.utf8))
        #expect(top.subnetMin == subnet("255.255.255.4/30") && top.subnetMax == subnet("255.255.255.252/30"))
        let all = (1...63).map { IPv4Subnet(base: 0xffff_ff00 + UInt32($0) * 4, length: 30) }
        #expect(top.lowestFreeSubnet(taken: Array(all.dropLast())) == subnet("255.255.255.252/30"))
        #expect(top.lowestFreeSubnet(taken: all) == nil)
    }

    @Test func leaseProblems() throws {
        let config = try FlannelConfig(json: article)
        #expect(config.problem(with: subnet("172.18.7.0/24")) == nil)
        #expect(config.problem(with: subnet("172.18.7.0/25")) == "is a /25, not a /24 (SubnetLen)")
        #expect(config.problem(with: subnet("10.0.0.0/24")) == "is outside the Network 172.18.0.0/16")
        #expect(config.problem(with: subnet("172.18.0.0/24")) == "is below SubnetMin 172.18.1.0")
        #expect(config.problem(with: subnet("172.18.255.0/24")) == "is above SubnetMax 172.18.254.0")
    }

    @Test func leaseKeysAndValues() throws {
        let lease = FlannelLease(subnet: subnet("172.18.1.0/24"), publicIP: IPAddress("192.168.32.129")!, vni: 1, vtepMAC: MACAddress("0e:00:00:00:01:00"))
        #expect(lease.key(prefix: "/coreos.com/network") == "/coreos.com/network/subnets/172.18.1.0-24")
        #expect(String(decoding: lease.value, as: UTF8.self) == #"{"PublicIP":"192.168.32.129","PublicIPv6":null,"BackendType":"vxlan","BackendData":{"VNI":1,"VtepMAC":"0e:00:00:00:01:00"}}"#)
        #expect(lease.vtepAddress.description == "172.18.1.0")
        #expect(FlannelLease.subnet(ofKey: "/coreos.com/network/subnets/10.1.3.0-23", prefix: "/coreos.com/network") == nil)
        #expect(FlannelLease.subnet(ofKey: "/coreos.com/network/subnets/10.1.2.0-24", prefix: "/coreos.com/network") == subnet("10.1.2.0/24"))
        #expect(throws: FlannelError("/coreos.com/network/subnets/172.18.1.0-24: no IPv4 PublicIP in the lease")) {
            try FlannelLease(key: "/coreos.com/network/subnets/172.18.1.0-24", prefix: "/coreos.com/network", value: Array("{}".utf8))
        }
    }
}
