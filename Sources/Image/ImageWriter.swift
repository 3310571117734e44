import Kernel

/// Writes an image into an OCI layout: one layer per directory, then the configuration, the
/// manifest and the index that names it.
public enum ImageWriter {
    /// What was written, for the learner.
    public struct Written: Sendable {
        public let manifest: Descriptor
        public let config: Descriptor
        /// Lowest first, with the digest of each layer's uncompressed stream.
        public let layers: [(descriptor: Descriptor, diffID: Digest)]
    }

    /// Writes an image whose layers are the trees under `layerDirectories`, lowest first, each
    /// taken as it is: a layer that deletes a file holds a `.wh.` file for it (`Whiteout`).
    /// The image is tagged `tag` in the index, which it replaces.
    @discardableResult
    public static func write(
        layerDirectories: [String], execution: ImageConfiguration.Execution, into path: String,
        compression: LayerCompression = .gzip, tag: String = "latest"
    ) throws -> Written {
        let layout = try ImageLayout.create(at: path)
        var layers: [(descriptor: Descriptor, diffID: Digest)] = []
        for directory in layerDirectories {
            let tar = try TarWriter.tar(DirectoryTree.entries(of: directory))
            let descriptor = try layout.write(blob: compression.compress(tar), mediaType: compression.mediaType)
            layers.append((descriptor, Digest(of: tar)))
        }
        let configuration = ImageConfiguration(
            architecture: ImageConfiguration.hostArchitecture, config: execution,
            rootfs: .init(diff_ids: layers.map(\.diffID))
        )
        let config = try layout.write(blob: ImageJSON.encode(configuration), mediaType: MediaType.config)
        let manifest = try layout.write(
            blob: ImageJSON.encode(ImageManifest(config: config, layers: layers.map(\.descriptor))),
            mediaType: MediaType.manifest, annotations: [ImageIndex.referenceName: tag]
        )
        try layout.writeIndex(ImageIndex(manifests: [manifest]))
        return Written(manifest: manifest, config: config, layers: layers)
    }
}
