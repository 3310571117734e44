import Crypto

/// A content address, `sha256:` and 64 lowercase hex digits: the name of a blob in an OCI
/// layout, and the proof that its bytes are the ones the manifest was written for.
public struct Digest: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The 64 hex digits, which name the blob's file under `blobs/sha256/`.
    public let hex: String

    /// The SHA-256 of `bytes`.
    public init(of bytes: [UInt8]) {
        hex = SHA256.hash(data: bytes).map { byte in
            let digits = String(byte, radix: 16)
            return byte < 16 ? "0" + digits : digits
        }.joined()
    }

    /// Parses `sha256:<64 hex digits>`; nil for any other algorithm or a malformed value.
    public init?(_ text: String) {
        guard text.hasPrefix("sha256:") else { return nil }
        let hex = text.dropFirst("sha256:".count)
        guard hex.count == 64, hex.allSatisfy({ ("0"..."9").contains($0) || ("a"..."f").contains($0) }) else {
            return nil
        }
        self.hex = String(hex)
    }

    public var description: String { "sha256:" + hex }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let digest = Digest(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "'\(text)' is not a sha256 digest"))
        }
        self = digest
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
