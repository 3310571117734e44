/// An image's index, manifest and configuration, read from a layout and checked against
/// their descriptors' sizes and digests. Layers are checked one at a time, when they are
/// needed (`verifiedLayer`).
public struct ImageMetadata: Sendable {
    public let manifestDescriptor: Descriptor
    public let manifest: ImageManifest
    public let configuration: ImageConfiguration
    let layout: ImageLayout

    /// Reads the first image in `layout`'s index.
    public init(_ layout: ImageLayout) throws {
        let index = try layout.readIndex()
        guard let manifestDescriptor = index.manifests.first else {
            throw ImageError.malformed(role: ImageLayout.indexFile, reason: "it lists no manifest")
        }
        let manifest = try ImageJSON.decode(
            ImageManifest.self, from: layout.read(manifestDescriptor, role: "manifest"), role: "manifest"
        )
        let configuration = try ImageJSON.decode(
            ImageConfiguration.self, from: layout.read(manifest.config, role: "config"), role: "config"
        )
        guard configuration.rootfs.diff_ids.count == manifest.layers.count else {
            throw ImageError.malformed(role: "config", reason: "it has \(configuration.rootfs.diff_ids.count) diff_ids for \(manifest.layers.count) layers")
        }
        self.manifestDescriptor = manifestDescriptor
        self.manifest = manifest
        self.configuration = configuration
        self.layout = layout
    }

    /// Layer `index` (0 is the lowest), its blob matching its descriptor and uncompressing to
    /// the stream its `diff_id` names.
    public func verifiedLayer(_ index: Int) throws -> VerifiedImage.Layer {
        let descriptor = manifest.layers[index]
        let diffID = configuration.rootfs.diff_ids[index]
        let tar = try TarReader.decompressed(layout.read(descriptor, role: "layer \(index + 1)"))
        let found = Digest(of: tar)
        guard found == diffID else { throw ImageError.diffIDMismatch(layer: index + 1, expected: diffID, found: found) }
        return VerifiedImage.Layer(descriptor: descriptor, diffID: diffID, tar: tar)
    }

    /// Checks that layer `index`'s blob is there and has its size, without reading it: for a
    /// layer that was verified when it was unpacked.
    public func checkLayerPresent(_ index: Int) throws {
        try layout.checkPresent(manifest.layers[index], role: "layer \(index + 1)")
    }
}

/// An image read from a layout with every blob checked: the manifest, the configuration and
/// each layer match their descriptors' sizes and digests, and each layer uncompresses to the
/// stream its `diff_id` names. Nothing is unpacked until all of that holds.
public struct VerifiedImage: Sendable {
    public let metadata: ImageMetadata
    /// The layers' uncompressed tar streams, lowest first.
    public let layers: [Layer]

    public struct Layer: Sendable {
        public let descriptor: Descriptor
        public let diffID: Digest
        /// The layer's tar stream, uncompressed.
        let tar: [UInt8]
    }

    public init(_ layout: ImageLayout) throws {
        let metadata = try ImageMetadata(layout)
        layers = try metadata.manifest.layers.indices.map { index in try metadata.verifiedLayer(index) }
        self.metadata = metadata
    }
}
