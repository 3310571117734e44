/// How layer blobs are stored. The digest in the manifest is of the stored bytes; the
/// `diff_id` in the configuration is of the tar stream before compression.
public enum LayerCompression: String, Sendable, CaseIterable {
    case gzip
    case none

    public var mediaType: String {
        switch self {
        case .gzip: MediaType.gzipLayer
        case .none: MediaType.layer
        }
    }

    func compress(_ tar: [UInt8]) throws -> [UInt8] {
        switch self {
        case .gzip: try TarWriter.gzip(tar)
        case .none: tar
        }
    }
}
