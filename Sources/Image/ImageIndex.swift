/// `index.json`, the entry point of a layout: the manifests it holds, each named by the
/// `org.opencontainers.image.ref.name` annotation (the tag).
public struct ImageIndex: Sendable, Equatable, Codable {
    public var schemaVersion = 2
    public var mediaType = MediaType.index
    public var manifests: [Descriptor]

    public init(manifests: [Descriptor]) {
        self.manifests = manifests
    }

    public static let referenceName = "org.opencontainers.image.ref.name"
}
