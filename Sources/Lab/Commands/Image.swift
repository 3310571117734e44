import Image
import Kernel

extension Command {
    /// Images as OCI layouts: building the labs' busybox image, unpacking an image's layers
    /// into a store, one directory per digest, for overlayfs.
    static let image = Command(
        "image", usage: "image build [--busybox PATH] [--compression gzip|none] [--motd TEXT] DIR | image unpack DIR STORE",
        summary: "build the busybox image as an OCI layout, or unpack an image's layers for overlayfs",
        options: [.value(nil, "busybox"), .value(nil, "compression"), .value(nil, "motd")]
    ) { call in
        switch call.operands.first {
        case "build": try buildImage(call)
        case "unpack": try unpackImage(call)
        default:
            throw call.failure(call.operands.isEmpty ? "build or unpack?" : "unknown subcommand '\(call.operands[0])'", cause: "usage: \(call.command.usage)")
        }
    }
}

/// `image build DIR`: the layout, its digests, and in a lab `$manifest`, `$config`, `$layer1`…
private func buildImage(_ call: Invocation) throws {
    guard call.operands.count == 2 else { throw call.failure("image build takes one directory", cause: "usage: \(call.command.usage)") }
    let directory = try call.path(call.operands[1], for: .write)
    let busybox = try call.options.value("busybox").map { path throws(CommandError) in try call.path(path, for: .read) } ?? "/bin/busybox"
    guard Trace.untraced({ (try? FileSystem.stat(busybox)) != nil }) else {
        throw call.failure("no busybox at \(busybox)", cause: "install the static one: apt-get install busybox-static (scripts/setup does), or give --busybox PATH")
    }
    let compressionName = call.options.value("compression") ?? "gzip"
    guard let compression = LayerCompression(rawValue: compressionName) else {
        throw call.failure("unknown compression '\(compressionName)'", cause: "use gzip or none")
    }
    let written: ImageWriter.Written
    // Building is thousands of calls in a temporary directory; what it made is printed instead.
    do {
        written = try Trace.untraced { try BusyboxImage.build(into: directory, busybox: busybox, compression: compression,
                                         motd: call.options.value("motd").map { $0 + "\n" } ?? BusyboxImage.motd) }
    } catch {
        throw call.failure("cannot build the image in \(call.operands[1]): \(error)")
    }
    call.write("wrote the busybox image to \(call.operands[1])\n")
    for (number, layer) in written.layers.enumerated() {
        call.write("  layer \(number + 1)  \(layer.descriptor.digest)  \(layer.descriptor.size) bytes  \(layer.descriptor.mediaType)\n")
        call.write("           diff_id \(layer.diffID)\n")
    }
    call.write("  config   \(written.config.digest)  \(written.config.size) bytes\n")
    call.write("  manifest \(written.manifest.digest)  \(written.manifest.size) bytes\n")
    guard !call.standalone else { return }
    // Digests depend on the busybox binary: the lab names blobs by these instead.
    var names = ["manifest": written.manifest.digest.hex, "config": written.config.digest.hex]
    for (number, layer) in written.layers.enumerated() { names["layer\(number + 1)"] = layer.descriptor.digest.hex }
    for (name, value) in names.sorted(by: { $0.key < $1.key }) { try call.workbench.variables.set(name, value) }
    call.write("(set $manifest, $config and $layer1…$layer\(written.layers.count) to the digests' hex)\n")
}

/// `image unpack DIR STORE`: each layer verified and unpacked once, and `lowerdir=` (in a
/// lab, `$lowerdir`).
private func unpackImage(_ call: Invocation) throws {
    guard call.operands.count == 3 else { throw call.failure("image unpack takes an image and a store", cause: "usage: \(call.command.usage)") }
    let image = try call.path(call.operands[1], for: .read), store = try call.path(call.operands[2], for: .write)
    let unpacked: LayerStore.Unpacked
    // Unpacking is thousands of calls; what it did is printed instead.
    do { unpacked = try Trace.untraced { try LayerStore(path: store).unpack(ImageLayout(path: image)) } } catch {
        throw call.failure("\(error)")
    }
    for (number, layer) in unpacked.layers.enumerated() {
        guard let summary = layer.unpacked else {
            call.write("layer \(number + 1) \(layer.digest): already in the store at \(call.workspace.display(layer.directory))\n")
            continue
        }
        call.write("layer \(number + 1) \(layer.digest): unpacked \(summary.members) members into \(call.workspace.display(layer.directory))\n")
        for path in summary.whiteouts { call.write("  whiteout /\(path) (character device 0,0)\n") }
        for path in summary.opaqueDirectories { call.write("  opaque /\(path) (\(Whiteout.opaqueAttribute)=y)\n") }
    }
    call.write("lowerdir=\(call.workspace.display(unpacked.lowerdir))\n")
    if !call.standalone { try call.workbench.variables.set("lowerdir", unpacked.lowerdir) }
}
