/// A reference to a blob: what it is, its digest and its size in bytes. A reader checks both
/// before it trusts the blob.
public struct Descriptor: Sendable, Hashable, Codable {
    public var mediaType: String
    public var digest: Digest
    public var size: Int
    public var annotations: [String: String]?

    public init(mediaType: String, digest: Digest, size: Int, annotations: [String: String]? = nil) {
        self.mediaType = mediaType
        self.digest = digest
        self.size = size
        self.annotations = annotations
    }

    /// The descriptor of `bytes` stored as a blob of type `mediaType`.
    public init(of bytes: [UInt8], mediaType: String, annotations: [String: String]? = nil) {
        self.init(mediaType: mediaType, digest: Digest(of: bytes), size: bytes.count, annotations: annotations)
    }
}
