/// An image's configuration blob: the platform, what a container runs by default, and the
/// digests of the layers *uncompressed* (`diff_ids`), which stay the same whatever
/// compression the layer blobs use.
public struct ImageConfiguration: Sendable, Equatable, Codable {
    public var architecture: String
    public var os: String
    public var config: Execution
    public var rootfs: RootFilesystem

    public init(architecture: String, os: String = "linux", config: Execution, rootfs: RootFilesystem) {
        self.architecture = architecture
        self.os = os
        self.config = config
        self.rootfs = rootfs
    }

    /// What a container of the image runs by default.
    public struct Execution: Sendable, Equatable, Codable {
        public var Env: [String]
        public var Cmd: [String]

        public init(Env: [String], Cmd: [String]) {
            self.Env = Env
            self.Cmd = Cmd
        }
    }

    public struct RootFilesystem: Sendable, Equatable, Codable {
        public var type = "layers"
        public var diff_ids: [Digest]

        public init(diff_ids: [Digest]) {
            self.diff_ids = diff_ids
        }
    }

    /// This machine's architecture as OCI and Go spell it.
    public static var hostArchitecture: String {
        #if arch(x86_64)
        "amd64"
        #elseif arch(arm64)
        "arm64"
        #else
        "unknown"
        #endif
    }
}
