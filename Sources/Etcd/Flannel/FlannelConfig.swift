import FoundationEssentials
import Kernel

/// A flannel network's plan, the JSON at PREFIX/config (`etcdctl put /coreos.com/network/config
/// '{"Network":"172.18.0.0/16","SubnetMin":"172.18.1.0","SubnetMax":"172.18.254.0","Backend":{"Type":"vxlan"}}'`),
/// with flannel's defaults filled in: SubnetLen 24, SubnetMin the network's second subnet
/// (its first would hold the network's own address), SubnetMax its last.
public struct FlannelConfig: Sendable, Equatable {
    public var network: IPv4Subnet
    public var subnetLength: UInt8
    public var subnetMin: IPv4Subnet
    public var subnetMax: IPv4Subnet
    public var backendType: String

    private struct JSON: Decodable {
        struct Backend: Decodable { var `Type`: String? }
        var Network: String?
        var SubnetLen: Int?
        var SubnetMin: String?
        var SubnetMax: String?
        var Backend: Backend?
    }

    /// Parses the config; the error says which field is wrong and how.
    public init(json bytes: [UInt8]) throws(FlannelError) {
        let json: JSON
        do { json = try JSONDecoder().decode(JSON.self, from: Data(bytes)) } catch {
            throw FlannelError("the network config is not flannel's JSON: \(String(decoding: bytes.prefix(80), as: UTF8.self))")
        }
        guard let text = json.Network else { throw FlannelError("the network config has no \"Network\" (e.g. \"172.18.0.0/16\")") }
        guard let network = IPv4Subnet(text) else { throw FlannelError("the config's Network \(text) is not an IPv4 network A.B.C.D/L without host bits") }
        let length = json.SubnetLen ?? 24
        guard length > Int(network.length), length <= 30 else {
            throw FlannelError("the config's SubnetLen \(length) must be longer than the Network's /\(network.length) and at most 30")
        }
        let size = UInt32(1) << (32 - UInt32(length))
        func bound(_ name: String, _ text: String?, default value: UInt32) throws(FlannelError) -> IPv4Subnet {
            guard let text else { return IPv4Subnet(base: value, length: UInt8(length)) }
            guard let address = IPAddress(text), address.family == .inet else { throw FlannelError("the config's \(name) \(text) is not an IPv4 address") }
            let subnet = IPv4Subnet(base: IPv4Subnet.number(address), length: UInt8(length))
            guard subnet.base & (size - 1) == 0 else { throw FlannelError("the config's \(name) \(text) is not the start of a /\(length)") }
            guard network.contains(address) else { throw FlannelError("the config's \(name) \(text) is outside its Network \(network)") }
            return subnet
        }
        subnetMin = try bound("SubnetMin", json.SubnetMin, default: network.base + size)
        subnetMax = try bound("SubnetMax", json.SubnetMax, default: (network.base | ~network.mask) - size + 1)
        guard subnetMin.base <= subnetMax.base else { throw FlannelError("the config's SubnetMin \(subnetMin) is above its SubnetMax \(subnetMax)") }
        self.network = network
        subnetLength = UInt8(length)
        // flannel's own default backend is udp, which BoxLab's agent does not speak.
        backendType = json.Backend?.Type ?? "udp"
    }

    /// Where the config lives under `prefix`.
    public static func key(prefix: String) -> String { prefix + "/config" }

    /// The lowest /SubnetLen from SubnetMin to SubnetMax that overlaps none of `taken`; nil
    /// when every one is leased. (flannel picks one at random among the free ones; BoxLab takes
    /// the lowest so that every run of a lab leases the same subnets and its transcript reads
    /// the same.)
    public func lowestFreeSubnet(taken: [IPv4Subnet]) -> IPv4Subnet? {
        let size = UInt64(1) << (32 - UInt64(subnetLength))
        var base = UInt64(subnetMin.base)
        while base <= UInt64(subnetMax.base) {
            let candidate = IPv4Subnet(base: UInt32(base), length: subnetLength)
            if !taken.contains(where: { $0.overlaps(candidate) }) { return candidate }
            base += size
        }
        return nil
    }

    /// Why a lease's subnet does not belong in this network: not a /SubnetLen, outside the
    /// Network, outside SubnetMin..SubnetMax; nil when it does.
    public func problem(with subnet: IPv4Subnet) -> String? {
        if subnet.length != subnetLength { return "is a /\(subnet.length), not a /\(subnetLength) (SubnetLen)" }
        if !network.contains(IPv4Subnet.address(subnet.base)) { return "is outside the Network \(network)" }
        if subnet.base < subnetMin.base { return "is below SubnetMin \(IPv4Subnet.address(subnetMin.base))" }
        if subnet.base > subnetMax.base { return "is above SubnetMax \(IPv4Subnet.address(subnetMax.base))" }
        return nil
    }
}

/// A flannel network or lease that cannot be used, in one line.
public struct FlannelError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
