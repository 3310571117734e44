import Kernel

/// Why an image could not be built, read or unpacked; each says what to do about it, on one line.
public enum ImageError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `path` should be an OCI layout and lacks `file`.
    case notALayout(path: String, missing: String)
    /// The blob a descriptor names is not in the layout.
    case missingBlob(role: String, digest: Digest, path: String)
    /// The blob's bytes are not the ones the descriptor was written for.
    case digestMismatch(role: String, path: String, expected: Digest, found: Digest)
    case sizeMismatch(role: String, path: String, expected: Int, found: Int)
    /// A layer unpacks to a different stream than the configuration's `diff_ids` records.
    case diffIDMismatch(layer: Int, expected: Digest, found: Digest)
    /// A JSON document of the layout cannot be decoded.
    case malformed(role: String, reason: String)
    /// libarchive could not read or write a tar stream.
    case tar(String)
    /// A layer's member breaks a rule that keeps every member inside the layer's directory;
    /// `reason` says which, as the rest of a sentence that starts with the member.
    case unsafeEntry(layer: Int, digest: Digest, member: String, reason: String)
    /// The kernel refused to make a layer's member.
    case unpackFailed(layer: Int, digest: Digest, member: String, error: KernelError)

    public var description: String {
        switch self {
        case .notALayout(let path, let missing):
            "\(path) is not an OCI image layout: it has no \(missing); make one with `boxlab image build \(path)`"
        case .missingBlob(let role, let digest, let path):
            "the \(role) blob \(digest) is missing (\(path)): the layout is incomplete; build it again"
        case .digestMismatch(let role, let path, let expected, let found):
            "the \(role) blob \(path) has digest \(found), not \(expected) as its descriptor says: it was changed or corrupted; build the image again"
        case .sizeMismatch(let role, let path, let expected, let found):
            "the \(role) blob \(path) is \(found) bytes, not \(expected) as its descriptor says: it was changed or truncated; build the image again"
        case .diffIDMismatch(let layer, let expected, let found):
            "layer \(layer) uncompresses to \(found), but the config's diff_ids say \(expected): the config and the layer do not belong together; build the image again"
        case .malformed(let role, let reason):
            "the \(role) is not valid: \(reason); build the image again"
        case .tar(let message):
            "the tar stream cannot be read or written: \(message)"
        case .unsafeEntry(let layer, let digest, let member, let reason):
            "layer \(layer) \(digest): member \(member) \(reason): refusing to unpack the layer, as its members must stay inside its directory"
        case .unpackFailed(let layer, let digest, let member, let error):
            "layer \(layer) \(digest): member \(member) cannot be unpacked: \(error)"
        }
    }
}
