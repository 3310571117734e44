import Kernel

/// A directory in the OCI image layout: `oci-layout`, `index.json`, and every blob under
/// `blobs/sha256/<hex>`, named by the digest of its bytes.
public struct ImageLayout: Sendable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    public static let layoutFile = "oci-layout"
    public static let indexFile = "index.json"

    /// `oci-layout`'s contents.
    struct Version: Codable {
        var imageLayoutVersion = "1.0.0"
    }

    public func blobPath(_ digest: Digest) -> String {
        "\(path)/blobs/sha256/\(digest.hex)"
    }

    /// Makes the directories and `oci-layout` of a new layout at `path`; the directory may exist.
    static func create(at path: String) throws -> ImageLayout {
        try makeDirectories([path, "\(path)/blobs", "\(path)/blobs/sha256"])
        let layout = ImageLayout(path: path)
        try FileSystem.writeFile("\(path)/\(layoutFile)", ImageJSON.encode(Version()))
        return layout
    }

    /// Stores `bytes` as a blob and returns its descriptor. The blob is written under a
    /// temporary name and renamed, so a blob's name always matches its complete contents.
    @discardableResult
    func write(blob bytes: [UInt8], mediaType: String, annotations: [String: String]? = nil) throws -> Descriptor {
        let descriptor = Descriptor(of: bytes, mediaType: mediaType, annotations: annotations)
        let final = blobPath(descriptor.digest)
        try FileSystem.writeFile(final + ".partial", bytes)
        try FileSystem.rename(final + ".partial", to: final)
        return descriptor
    }

    func writeIndex(_ index: ImageIndex) throws {
        try FileSystem.writeFile("\(path)/\(Self.indexFile)", ImageJSON.encode(index))
    }

    /// The index, after checking that `path` is a layout at all.
    func readIndex() throws -> ImageIndex {
        try checkIsLayout()
        let version = try ImageJSON.decode(Version.self, from: FileSystem.readFile("\(path)/\(Self.layoutFile)"), role: Self.layoutFile)
        guard version.imageLayoutVersion == "1.0.0" else {
            throw ImageError.malformed(role: Self.layoutFile, reason: "imageLayoutVersion is \(version.imageLayoutVersion), and BoxLab reads 1.0.0")
        }
        return try ImageJSON.decode(ImageIndex.self, from: FileSystem.readFile("\(path)/\(Self.indexFile)"), role: Self.indexFile)
    }

    /// The digest of `oci-layout` and `index.json` together: the same for as long as the
    /// layout names the same image.
    func identity() throws -> Digest {
        try checkIsLayout()
        return Digest(of: try FileSystem.readFile("\(path)/\(Self.layoutFile)") + FileSystem.readFile("\(path)/\(Self.indexFile)"))
    }

    private func checkIsLayout() throws {
        for file in [Self.layoutFile, Self.indexFile] where !exists("\(path)/\(file)") {
            throw ImageError.notALayout(path: path, missing: file)
        }
    }

    /// The blob `descriptor` names, once its size and digest are the descriptor's. `role`
    /// says which blob it is in errors: `manifest`, `config`, `layer 2`.
    /// The blob's file exists and has the descriptor's size.
    func checkPresent(_ descriptor: Descriptor, role: String) throws {
        let file = blobPath(descriptor.digest)
        guard let status = try? FileSystem.stat(file) else { throw ImageError.missingBlob(role: role, digest: descriptor.digest, path: file) }
        guard status.size == descriptor.size else {
            throw ImageError.sizeMismatch(role: role, path: file, expected: descriptor.size, found: Int(status.size))
        }
    }

    func read(_ descriptor: Descriptor, role: String) throws -> [UInt8] {
        let file = blobPath(descriptor.digest)
        guard exists(file) else { throw ImageError.missingBlob(role: role, digest: descriptor.digest, path: file) }
        let bytes = try FileSystem.readFile(file)
        guard bytes.count == descriptor.size else {
            throw ImageError.sizeMismatch(role: role, path: file, expected: descriptor.size, found: bytes.count)
        }
        let found = Digest(of: bytes)
        guard found == descriptor.digest else {
            throw ImageError.digestMismatch(role: role, path: file, expected: descriptor.digest, found: found)
        }
        return bytes
    }

    private func exists(_ file: String) -> Bool {
        (try? FileSystem.lstat(file)) != nil
    }
}
