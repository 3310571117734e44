import Kernel

/// Where an etcd member answers clients: `http://192.168.32.128:2379`, as `--etcd-endpoints`
/// and etcd's `--listen-client-urls` write it. Plain HTTP only: the labs' etcd has no TLS.
public struct EtcdEndpoint: Sendable, Equatable, CustomStringConvertible {
    public var address: IPAddress
    public var port: UInt16

    public init(address: IPAddress, port: UInt16 = 2379) {
        self.address = address
        self.port = port
    }

    /// Parses one URL; nil for anything but `http://IPV4[:PORT][/]`.
    public init?(_ url: String) {
        guard url.hasPrefix("http://") else { return nil }
        var rest = url.dropFirst("http://".count)
        if rest.hasSuffix("/") { rest = rest.dropLast() }
        let parts = rest.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count <= 2, let address = IPAddress(String(parts[0])), address.family == .inet else { return nil }
        var port: UInt16 = 2379
        if parts.count == 2 {
            guard let given = UInt16(parts[1]), given > 0 else { return nil }
            port = given
        }
        self.init(address: address, port: port)
    }

    /// A comma-separated list, as flannel's `--etcd-endpoints` takes it; nil names the
    /// first one that is not a URL BoxLab can speak to.
    public static func list(_ text: String) -> Result<[EtcdEndpoint], EtcdError> {
        var endpoints: [EtcdEndpoint] = []
        for url in text.split(separator: ",") {
            guard let endpoint = EtcdEndpoint(String(url)) else {
                return .failure(.badEndpoint(String(url)))
            }
            endpoints.append(endpoint)
        }
        return endpoints.isEmpty ? .failure(.badEndpoint(text)) : .success(endpoints)
    }

    /// `http://192.168.32.128:2379`.
    public var description: String { "http://\(address):\(port)" }
}
