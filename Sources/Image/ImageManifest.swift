/// An image's manifest: its configuration and its layers, lowest first.
public struct ImageManifest: Sendable, Equatable, Codable {
    public var schemaVersion = 2
    public var mediaType = MediaType.manifest
    public var config: Descriptor
    public var layers: [Descriptor]

    public init(config: Descriptor, layers: [Descriptor]) {
        self.config = config
        self.layers = layers
    }
}
