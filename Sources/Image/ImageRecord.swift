import Kernel

/// What unpacking an image found, kept in the layer store under the digest of the layout's
/// `oci-layout` and `index.json`: the manifest's, the configuration's and the layers'
/// digests and sizes. Running the image again then reads those two small files and no JSON
/// document (a container engine keeps the same in its metadata database after a pull). The
/// blobs are still checked for presence and size, as a layer in the store always was.
///
/// One line per blob: `manifest|config|layer <digest> <size>`, the layers lowest first.
struct ImageRecord: Equatable {
    var manifest: Descriptor
    var configuration: Descriptor
    var layers: [Descriptor]

    init(_ image: ImageMetadata) {
        manifest = image.manifestDescriptor
        configuration = image.manifest.config
        layers = image.manifest.layers
    }

    /// The record in `text`; nil if it is not one (a write cut short).
    init?(_ text: String) {
        var manifest: Descriptor?, configuration: Descriptor?, layers: [Descriptor] = []
        for line in text.split(separator: "\n") {
            let words = line.split(separator: " ").map(String.init)
            guard words.count == 3, let digest = Digest(words[1]), let size = Int(words[2]) else { return nil }
            let descriptor = Descriptor(mediaType: "", digest: digest, size: size)
            switch words[0] {
            case "manifest": manifest = descriptor
            case "config": configuration = descriptor
            case "layer": layers.append(descriptor)
            default: return nil
            }
        }
        guard let manifest, let configuration, !layers.isEmpty else { return nil }
        (self.manifest, self.configuration, self.layers) = (manifest, configuration, layers)
    }

    var text: String {
        ([("manifest", manifest), ("config", configuration)] + layers.map { ("layer", $0) })
            .map { "\($0.0) \($0.1.digest) \($0.1.size)\n" }.joined()
    }

    /// Every blob is in `layout` with its size, as `ImageMetadata` and `checkLayerPresent`
    /// would find it; the errors are theirs.
    func checkPresent(in layout: ImageLayout) throws {
        try layout.checkPresent(manifest, role: "manifest")
        try layout.checkPresent(configuration, role: "config")
        for (index, layer) in layers.enumerated() { try layout.checkPresent(layer, role: "layer \(index + 1)") }
    }
}
