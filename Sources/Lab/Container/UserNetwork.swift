import FoundationEssentials
import Kernel

/// A network `network create` made, as `docker network create` makes one with the bridge
/// driver: a bridge with the gateway's address, recorded in the run directory as
/// user-defined. A container on one gets the embedded resolver; a bridge made by hand
/// (`ip link add … type bridge`, lab 05's docker0) is a network too, but not user-defined.
struct UserNetwork: Codable, Sendable, Equatable {
    var name: String
    var subnet: String
    var gateway: String

    static func path(_ run: RunDirectory, _ name: String) -> String { run.networks + "/" + name }

    static func load(_ run: RunDirectory, _ name: String) -> UserNetwork? {
        Trace.untraced {
            guard let bytes = try? FileSystem.readFile(path(run, name)) else { return nil }
            return try? JSONDecoder().decode(UserNetwork.self, from: Data(bytes))
        }
    }

    static func all(_ run: RunDirectory) -> [UserNetwork] {
        Trace.untraced { ((try? FileSystem.listDirectory(run.networks)) ?? []).sorted().compactMap { load(run, $0) } }
    }

    /// Drops the network's record (`network rm`, a lab starting over), once its bridge is gone.
    static func forget(_ run: RunDirectory, _ name: String) throws(KernelError) {
        try Trace.untraced { () throws(KernelError) in try FileSystem.unlink(path(run, name)) }
    }

    func save(_ run: RunDirectory) throws(KernelError) {
        let bytes = (try? JSONEncoder().encode(self)).map { Array($0) } ?? []
        try Trace.untraced { () throws(KernelError) in
            try Workbench.prepareHostDirectories(run)
            try makeDirectory(run.networks)
        }
        try ContainerState.replace(Self.path(run, name), with: bytes)
    }
}
