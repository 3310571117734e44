import Kernel

/// Unpacked layers, one directory per layer digest, `STORE/sha256/<hex>/diff`, as container
/// engines keep them: a layer that several images share is unpacked once.
public struct LayerStore: Sendable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// Where the layer with `digest` is (or would be) unpacked.
    public func directory(_ digest: Digest) -> String {
        "\(path)/sha256/\(digest.hex)/diff"
    }

    /// One layer of an unpacked image.
    public struct UnpackedLayer: Sendable, Equatable {
        public let digest: Digest
        public let directory: String
        /// Nil when the layer was already in the store.
        public let unpacked: LayerSummary?
    }

    /// What `unpack` did.
    public struct Unpacked: Sendable, Equatable {
        /// Lowest first, as the manifest lists them.
        public let layers: [UnpackedLayer]

        /// The layer directories topmost first, as overlayfs's lowerdir takes them.
        public var lowerDirectories: [String] { layers.reversed().map(\.directory) }
        /// `lowerdir=`'s value: `top:…:bottom`.
        public var lowerdir: String { lowerDirectories.joined(separator: ":") }
    }

    /// Where the record of the image whose layout has `identity` is kept (`ImageRecord`).
    func record(_ identity: Digest) -> String {
        "\(path)/images/\(identity.hex)"
    }

    /// Verifies the image in `layout`, then unpacks each layer the store does not have yet.
    /// Every layer to unpack is verified before any is unpacked; a layer already in the store
    /// was verified when it was unpacked, so only its blob's presence and size are checked
    /// (as container engines trust their content store), and an image unpacked before is
    /// known by its record. A layer is unpacked under `tmp/` and renamed into place when
    /// complete, so the store never holds half a layer, even after a failure or a crash.
    public func unpack(_ layout: ImageLayout) throws -> Unpacked {
        let identity = try layout.identity()
        if let text = try? FileSystem.readFile(record(identity)), let known = ImageRecord(String(decoding: text, as: UTF8.self)) {
            try known.checkPresent(in: layout)
            let layers = known.layers.map { UnpackedLayer(digest: $0.digest, directory: directory($0.digest), unpacked: nil) }
            // A layer removed from the store since is unpacked again, verified, below.
            if layers.allSatisfy({ (try? FileSystem.lstat($0.directory)) != nil }) { return Unpacked(layers: layers) }
        }
        let image = try ImageMetadata(layout)
        let descriptors = image.manifest.layers
        var verified: [Int: VerifiedImage.Layer] = [:]
        for index in descriptors.indices {
            if (try? FileSystem.lstat(directory(descriptors[index].digest))) != nil {
                try image.checkLayerPresent(index)
            } else {
                verified[index] = try image.verifiedLayer(index)
            }
        }
        if !verified.isEmpty { try makeDirectories([path, "\(path)/sha256", "\(path)/tmp"]) }
        var layers: [UnpackedLayer] = []
        for (index, descriptor) in descriptors.enumerated() {
            let digest = descriptor.digest
            let target = directory(digest)
            guard let layer = verified[index] else {
                layers.append(UnpackedLayer(digest: digest, directory: target, unpacked: nil))
                continue
            }
            let staging = "\(path)/tmp/\(digest.hex)"
            // Left over from an unpack that was interrupted.
            if (try? FileSystem.lstat(staging)) != nil { try FileSystem.removeTree(staging) }
            do {
                try FileSystem.mkdir(staging)
                try FileSystem.mkdir("\(staging)/diff")
                let summary = try LayerUnpacker(root: "\(staging)/diff", layer: index + 1, digest: digest)
                    .unpack(TarReader.entries(layer.tar))
                try FileSystem.rename(staging, to: "\(path)/sha256/\(digest.hex)")
                layers.append(UnpackedLayer(digest: digest, directory: target, unpacked: summary))
            } catch {
                try? FileSystem.removeTree(staging)
                throw error
            }
        }
        // Without its record the image is only verified again next time.
        try? remember(ImageRecord(image), as: identity)
        return Unpacked(layers: layers)
    }

    /// Writes the record under a temporary name and renames it, so that a record is whole.
    private func remember(_ image: ImageRecord, as identity: Digest) throws {
        try makeDirectories([path, "\(path)/images"])
        let file = record(identity)
        try FileSystem.writeFile(file + ".partial", Array(image.text.utf8))
        try FileSystem.rename(file + ".partial", to: file)
    }
}
