import FoundationEssentials
import Kernel

/// One host's lease of a subnet: the key PREFIX/subnets/172.18.1.0-24 and flannel's value
/// `{"PublicIP":"192.168.32.129","PublicIPv6":null,"BackendType":"vxlan","BackendData":{"VNI":1,"VtepMAC":"0e:…"}}`:
/// which host (its underlay address) owns the subnet, and its VTEP's MAC, which is all another
/// host needs to reach the subnet's containers through VXLAN.
public struct FlannelLease: Sendable, Equatable {
    public var subnet: IPv4Subnet
    public var publicIP: IPAddress
    public var backendType: String
    public var vni: UInt32
    public var vtepMAC: MACAddress?

    public init(subnet: IPv4Subnet, publicIP: IPAddress, backendType: String = "vxlan", vni: UInt32, vtepMAC: MACAddress?) {
        self.subnet = subnet
        self.publicIP = publicIP
        self.backendType = backendType
        self.vni = vni
        self.vtepMAC = vtepMAC
    }

    private struct JSON: Decodable {
        struct Data: Decodable {
            var VNI: UInt32?
            var VtepMAC: String?
        }
        var PublicIP: String?
        var BackendType: String?
        var BackendData: Data?
    }

    /// Reads a lease from its key and value; the error names what is wrong.
    public init(key: String, prefix: String, value: [UInt8]) throws(FlannelError) {
        guard let subnet = Self.subnet(ofKey: key, prefix: prefix) else {
            throw FlannelError("\(key) does not name a subnet (\(Self.directory(prefix: prefix))A.B.C.D-L)")
        }
        let json: JSON
        do { json = try JSONDecoder().decode(JSON.self, from: Data(value)) } catch {
            throw FlannelError("\(key): the value is not flannel's lease JSON: \(String(decoding: value.prefix(80), as: UTF8.self))")
        }
        guard let text = json.PublicIP, let publicIP = IPAddress(text), publicIP.family == .inet else {
            throw FlannelError("\(key): no IPv4 PublicIP in the lease")
        }
        var mac: MACAddress?
        if let text = json.BackendData?.VtepMAC {
            guard let parsed = MACAddress(text) else { throw FlannelError("\(key): VtepMAC \(text) is not a MAC address") }
            mac = parsed
        }
        self.init(subnet: subnet, publicIP: publicIP, backendType: json.BackendType ?? "", vni: json.BackendData?.VNI ?? 0, vtepMAC: mac)
    }

    /// PREFIX/subnets/.
    public static func directory(prefix: String) -> String { prefix + "/subnets/" }

    /// PREFIX/subnets/172.18.1.0-24.
    public func key(prefix: String) -> String {
        Self.directory(prefix: prefix) + "\(IPv4Subnet.address(subnet.base))-\(subnet.length)"
    }

    /// The subnet a key under PREFIX/subnets/ names, `172.18.1.0-24` for 172.18.1.0/24.
    public static func subnet(ofKey key: String, prefix: String) -> IPv4Subnet? {
        let directory = directory(prefix: prefix)
        guard key.hasPrefix(directory) else { return nil }
        let name = key.dropFirst(directory.count)
        guard let dash = name.lastIndex(of: "-") else { return nil }
        return IPv4Subnet(name[..<dash] + "/" + name[name.index(after: dash)...])
    }

    /// flannel's JSON, its fields in flannel's order.
    public var value: [UInt8] {
        let mac = vtepMAC.map { "\"\($0)\"" } ?? "null"
        return Array("{\"PublicIP\":\"\(publicIP)\",\"PublicIPv6\":null,\"BackendType\":\"\(backendType)\",\"BackendData\":{\"VNI\":\(vni),\"VtepMAC\":\(mac)}}".utf8)
    }

    /// The VTEP's address on flannel.1: the subnet's network address, as a /32.
    public var vtepAddress: IPAddress { IPv4Subnet.address(subnet.base) }
}
