/// An image read from a layout with every blob checked: the manifest, the configuration and
/// each layer match their descriptors' sizes and digests, and each layer uncompresses to the
/// stream its `diff_id` names. Nothing is unpacked until all of that holds.
public struct VerifiedImage: Sendable {
    public let manifestDescriptor: Descriptor
    public let manifest: ImageManifest
    public let configuration: ImageConfiguration
    /// The layers' uncompressed tar streams, lowest first.
    public let layers: [Layer]

    public struct Layer: Sendable {
        public let descriptor: Descriptor
        public let diffID: Digest
        /// The layer's tar stream, uncompressed.
        let tar: [UInt8]
    }

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
        let diffIDs = configuration.rootfs.diff_ids
        guard diffIDs.count == manifest.layers.count else {
            throw ImageError.malformed(role: "config", reason: "it has \(diffIDs.count) diff_ids for \(manifest.layers.count) layers")
        }
        var layers: [Layer] = []
        for (number, (descriptor, diffID)) in zip(manifest.layers, diffIDs).enumerated() {
            let tar = try TarReader.decompressed(layout.read(descriptor, role: "layer \(number + 1)"))
            let found = Digest(of: tar)
            guard found == diffID else { throw ImageError.diffIDMismatch(layer: number + 1, expected: diffID, found: found) }
            layers.append(Layer(descriptor: descriptor, diffID: diffID, tar: tar))
        }
        self.manifestDescriptor = manifestDescriptor
        self.manifest = manifest
        self.configuration = configuration
        self.layers = layers
    }
}
