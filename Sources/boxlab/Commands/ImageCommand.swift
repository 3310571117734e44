import ArgumentParser
import Lab

/// The lab command `image`, from the shell: `boxlab image build DIR`, `boxlab image unpack
/// DIR STORE`.
struct ImageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "image",
        abstract: "Build the labs' busybox image as an OCI layout, or unpack an image's layers for overlayfs.",
        discussion: """
        usage: boxlab image build [--busybox PATH] [--compression gzip|none] [--motd TEXT] DIR
               boxlab image unpack DIR STORE

        build: layer 1 is a root filesystem of busybox and its applet links; layer 2 adds \
        /etc/motd (TEXT) and deletes /etc/hostname with a whiteout. The same busybox gives the \
        same digests on every run: the tars hold fixed times and owners.

        unpack: every blob's size and digest is checked before anything is unpacked; layers \
        already in the store are not unpacked again; `.wh.` entries become overlayfs whiteouts \
        (0,0 character devices, the trusted.overlay.opaque xattr). Prints the lowerdir option, \
        topmost layer first.
        """
    )

    @Argument(parsing: .captureForPassthrough, help: "build … or unpack …")
    var arguments: [String] = []

    func run() throws {
        // Whiteouts are device nodes and opaque directories trusted.* xattrs: unpacking needs root.
        if arguments.first == "unpack" { try requireRoot() }
        let status = runStandalone(["image"] + arguments)
        if status != 0 { throw ExitCode(status) }
    }
}
