import ArgumentParser
import Image

struct ImageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "image",
        abstract: "Build the labs' busybox image as an OCI layout, and unpack an image into layers for overlayfs.",
        subcommands: [ImageBuild.self, ImageUnpack.self]
    )
}

struct ImageBuild: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Write the busybox image into DIR as an OCI image layout.",
        discussion: """
        Layer 1 is a root filesystem of busybox and its applet links; layer 2 adds /etc/motd \
        and deletes /etc/hostname with a whiteout. The same busybox gives the same digests on \
        every run: the tars hold fixed times and owners.
        """
    )

    @Argument(help: "The layout's directory; made if missing.") var directory: String
    @Option(help: "The busybox binary to build from (a static one: the image has no libraries).")
    var busybox = "/bin/busybox"
    @Option(help: "How layer blobs are stored: gzip or none.") var compression = LayerCompression.gzip

    func run() throws {
        let written: ImageWriter.Written
        do { written = try BusyboxImage.build(into: directory, busybox: busybox, compression: compression) } catch {
            throw failure("\(error)", code: 1)
        }
        print("wrote the busybox image to \(directory)")
        for (number, layer) in written.layers.enumerated() {
            print("  layer \(number + 1)  \(layer.descriptor.digest)  \(layer.descriptor.size) bytes  \(layer.descriptor.mediaType)")
            print("           diff_id \(layer.diffID)")
        }
        print("  config   \(written.config.digest)  \(written.config.size) bytes")
        print("  manifest \(written.manifest.digest)  \(written.manifest.size) bytes")
    }
}

struct ImageUnpack: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unpack",
        abstract: "Verify the image in DIR and unpack its layers into STORE, one directory per layer digest.",
        discussion: """
        Every blob's size and digest is checked before anything is unpacked. Layers already in \
        the store are not unpacked again. `.wh.` entries become overlayfs whiteouts (0,0 \
        character devices and the trusted.overlay.opaque xattr). Prints the lowerdir option \
        for overlayfs, topmost layer first.
        """
    )

    @Argument(help: "The OCI image layout.") var directory: String
    @Argument(help: "The layer store; made if missing.") var store: String

    func run() throws {
        // Whiteouts are device nodes and opaque directories trusted.* xattrs: both need root.
        try requireRoot()
        let unpacked: LayerStore.Unpacked
        do { unpacked = try LayerStore(path: store).unpack(ImageLayout(path: directory)) } catch {
            throw failure("\(error)", code: 1)
        }
        for (number, layer) in unpacked.layers.enumerated() {
            guard let summary = layer.unpacked else {
                print("layer \(number + 1) \(layer.digest): already in the store at \(layer.directory)")
                continue
            }
            print("layer \(number + 1) \(layer.digest): unpacked \(summary.members) members into \(layer.directory)")
            for path in summary.whiteouts { print("  whiteout /\(path) (character device 0,0)") }
            for path in summary.opaqueDirectories { print("  opaque /\(path) (trusted.overlay.opaque=y)") }
        }
        print("lowerdir=\(unpacked.lowerdir)")
    }
}

extension LayerCompression: ExpressibleByArgument {}
