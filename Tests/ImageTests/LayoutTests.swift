import Kernel
import Testing
@testable import Image

/// The busybox layout built from the machine's /bin/busybox (busybox-static, from
/// scripts/setup), read back and checked; none of it needs root.
@Suite(.enabled(if: exists("/bin/busybox"), "needs busybox-static: scripts/setup installs it"))
struct LayoutTests {
    @Test func buildingTwiceGivesTheSameDigests() throws {
        try withScratchDirectory { scratch in
            let first = try BusyboxImage.build(into: "\(scratch)/one")
            let second = try BusyboxImage.build(into: "\(scratch)/two")
            #expect(first.manifest == second.manifest)
            #expect(try FileSystem.readFile("\(scratch)/one/index.json") == FileSystem.readFile("\(scratch)/two/index.json"))
            #expect(try FileSystem.listDirectory("\(scratch)/one/blobs/sha256").count == 4)
        }
    }

    @Test func theLayoutReadsBackVerified() throws {
        try withScratchDirectory { scratch in
            let written = try BusyboxImage.build(into: scratch, compression: .none)
            #expect(try FileSystem.readFile("\(scratch)/oci-layout") == bytes(#"{"imageLayoutVersion":"1.0.0"}"#))
            let image = try VerifiedImage(ImageLayout(path: scratch))
            #expect(image.metadata.manifestDescriptor == written.manifest)
            #expect(image.metadata.manifest.layers.map(\.mediaType) == [MediaType.layer, MediaType.layer])
            // Uncompressed, a layer's digest and its diff_id are the same.
            #expect(image.metadata.configuration.rootfs.diff_ids == image.metadata.manifest.layers.map(\.digest))
            #expect(image.metadata.configuration.config.Cmd == ["/bin/sh"])
            let changes = try TarReader.entries(image.layers[1].tar).map(\.path)
            #expect(changes == ["etc", "etc/.wh.hostname", "etc/motd"])
            let base = try TarReader.entries(image.layers[0].tar)
            #expect(base.contains(TarEntry(path: "bin/sh", content: .symlink(target: "busybox"), permissions: 0o777)))
            #expect(base.first { $0.path == "tmp" }?.permissions == 0o1777)
        }
    }

    @Test func aCorruptedLayerIsRefusedBeforeAnythingIsUnpacked() throws {
        try withScratchDirectory { scratch in
            let written = try BusyboxImage.build(into: "\(scratch)/image")
            let layer = written.layers[1].descriptor
            let blob = ImageLayout(path: "\(scratch)/image").blobPath(layer.digest)
            var corrupted = try FileSystem.readFile(blob)
            corrupted[corrupted.count / 2] ^= 0xff
            try FileSystem.writeFile(blob, corrupted)
            #expect(throws: ImageError.digestMismatch(role: "layer 2", path: blob, expected: layer.digest, found: Digest(of: corrupted))) {
                try LayerStore(path: "\(scratch)/store").unpack(ImageLayout(path: "\(scratch)/image"))
            }
            #expect(!exists("\(scratch)/store"))

            try FileSystem.writeFile(blob, corrupted.dropLast())
            #expect(throws: ImageError.sizeMismatch(role: "layer 2", path: blob, expected: layer.size, found: layer.size - 1)) {
                try VerifiedImage(ImageLayout(path: "\(scratch)/image"))
            }
            try FileSystem.unlink(blob)
            #expect(throws: ImageError.missingBlob(role: "layer 2", digest: layer.digest, path: blob)) {
                try VerifiedImage(ImageLayout(path: "\(scratch)/image"))
            }
        }
    }

    @Test func aDirectoryThatIsNoLayoutSaysHowToMakeOne() throws {
        try withScratchDirectory { scratch in
            let error = ImageError.notALayout(path: scratch, missing: "oci-layout")
            #expect(throws: error) { try VerifiedImage(ImageLayout(path: scratch)) }
            #expect(error.description == "\(scratch) is not an OCI image layout: it has no oci-layout; make one with `boxlab image build \(scratch)`")
        }
    }
}
