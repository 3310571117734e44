import FoundationEssentials
import Kernel

/// What BoxLab keeps of a container while it runs, in its directory (Docker's
/// config.v2.json): which process it is and where it is attached. `--link`, `network
/// connect` and the embedded resolver's records are made from it.
struct ContainerState: Codable, Sendable, Equatable {
    var name: String
    var hostname: String
    var pid: Int32
    /// Tells the container's first process from a later one that reuses the pid.
    var startTime: UInt64
    var endpoints: [Endpoint]
    /// Its embedded resolver, once it has an interface on a user-defined network.
    var resolverPID: Int32?
    var resolverStartTime: UInt64?

    /// One interface of the container on a bridge.
    struct Endpoint: Codable, Sendable, Equatable {
        var network: String
        /// Inside the container: eth0, eth1, …
        var interface: String
        /// The veth's end on the host's side, a port of the bridge.
        var hostEnd: String
        var address: String
        /// `--network-alias`, `network connect --alias`: more names the resolver answers.
        var aliases: [String]

        var ipAddress: String { String(address.split(separator: "/").first ?? "") }
    }

    static let fileName = "state.json"

    /// Whether the process the state names is still the container's.
    var isRunning: Bool { Trace.untraced { ProcessTable.isRunning(pid, startedAt: startTime) } }

    /// Whether the container's embedded resolver is still the one BoxLab started.
    var resolverIsRunning: Bool {
        guard let pid = resolverPID, let start = resolverStartTime else { return false }
        return Trace.untraced { ProcessTable.isRunning(pid, startedAt: start) }
    }

    static func load(_ containers: String, _ name: String) -> ContainerState? {
        Trace.untraced {
            guard let bytes = try? FileSystem.readFile(containers + "/" + name + "/" + fileName) else { return nil }
            return try? JSONDecoder().decode(ContainerState.self, from: Data(bytes))
        }
    }

    /// Every container whose directory holds a state, running or not, by name.
    static func all(_ containers: String) -> [ContainerState] {
        let names = Trace.untraced { (try? FileSystem.listDirectory(containers)) ?? [] }
        return names.sorted().compactMap { load(containers, $0) }
    }

    func save(_ containers: String) throws(KernelError) {
        let bytes = (try? JSONEncoder().encode(self)).map { Array($0) } ?? []
        try Self.replace(containers + "/" + name + "/" + Self.fileName, with: bytes)
    }

    /// Writes a new version beside `path`, then renames it over: a reader (the resolver)
    /// sees the old file or the new one, never half of one.
    static func replace(_ path: String, with bytes: [UInt8]) throws(KernelError) {
        try Trace.untraced { () throws(KernelError) in
            try FileSystem.writeFile(path + ".new", bytes)
            try FileSystem.rename(path + ".new", to: path)
        }
    }

    /// The first interface name after those the container has.
    var nextInterface: String {
        let used = Set(endpoints.map(\.interface))
        return (0...).lazy.map { "eth\($0)" }.first { !used.contains($0) }!
    }

    /// The host end of a veth for `interface`: at most 15 bytes (IFNAMSIZ - 1), and one per
    /// interface: `vb-NAME` for eth0 (as before networks came), `vbN-NAME` for ethN.
    static func hostEnd(container: String, interface: String) -> String {
        let number = interface.dropFirst("eth".count)
        let head = number == "0" ? "vb-" : "vb\(number)-"
        return head + container.prefix(15 - head.utf8.count)
    }
}
