import Glibc
import Kernel
import Testing
@testable import Image

/// Unpacking into a layer store and mounting the layers with overlayfs: whiteouts are device
/// nodes and trusted.* xattrs, so this needs root.
@Suite(.enabled(if: getuid() == 0 && exists("/bin/busybox"), "needs root and busybox-static"))
struct UnpackTests {
    @Test func aSharedBaseIsUnpackedOnceAndALayerInTheStoreStillNeedsItsBlob() throws {
        try withScratchDirectory { scratch in
            try BusyboxImage.build(into: "\(scratch)/one")
            try BusyboxImage.build(into: "\(scratch)/two", motd: "two\n")
            let store = LayerStore(path: "\(scratch)/store")
            let one = try store.unpack(ImageLayout(path: "\(scratch)/one"))
            let two = try store.unpack(ImageLayout(path: "\(scratch)/two"))
            #expect(two.layers[0].unpacked == nil && two.layers[0].directory == one.layers[0].directory)
            #expect(two.layers[1].unpacked != nil && two.layers[1].directory != one.layers[1].directory)

            // Layers already unpacked are trusted, but the image must still hold them.
            let layout = ImageLayout(path: "\(scratch)/two")
            let blob = layout.blobPath(two.layers[0].digest)
            try FileSystem.unlink(blob)
            #expect(throws: ImageError.missingBlob(role: "layer 1", digest: two.layers[0].digest, path: blob)) { try store.unpack(layout) }
        }
    }

    @Test func anImageUnpackedBeforeIsKnownByItsRecordUntilALayerIsGone() throws {
        try withScratchDirectory { scratch in
            try BusyboxImage.build(into: "\(scratch)/image")
            let store = LayerStore(path: "\(scratch)/store"), layout = ImageLayout(path: "\(scratch)/image")
            let first = try store.unpack(layout)
            let recorder = TraceRecorder()
            let second = try Trace.recording(into: recorder) { try store.unpack(layout) }
            #expect(second.lowerdir == first.lowerdir && second.layers.allSatisfy { $0.unpacked == nil })
            // No JSON document is read again, and no blob: they are only there, with their sizes.
            let opened = recorder.entries.filter { $0.call == "openat" }.map { $0.arguments[1] }
            #expect(opened.allSatisfy { !$0.contains("/blobs/") }, "\(opened)")
            #expect(opened.contains { $0.hasSuffix("/index.json\"") })

            // A layer removed from the store is verified and unpacked again.
            try FileSystem.removeTree(first.layers[1].directory)
            let third = try store.unpack(layout)
            #expect(third.layers[0].unpacked == nil && third.layers[1].unpacked != nil)

            // Another index is another image: its record is not this one's.
            try FileSystem.writeFile("\(scratch)/image/index.json", try FileSystem.readFile("\(scratch)/image/index.json") + bytes("\n"))
            #expect(try store.unpack(layout).lowerdir == first.lowerdir)
            #expect(try FileSystem.listDirectory("\(scratch)/store/images").count == 2)
        }
    }

    @Test func layersUnpackOnceAndStackIntoTheImagesRoot() throws {
        try withScratchDirectory { scratch in
            try BusyboxImage.build(into: "\(scratch)/image")
            let store = LayerStore(path: "\(scratch)/store")
            let first = try store.unpack(ImageLayout(path: "\(scratch)/image"))
            #expect(first.layers.allSatisfy { $0.unpacked != nil })
            #expect(first.layers[1].unpacked?.whiteouts == ["etc/hostname"])
            #expect(first.lowerDirectories == [first.layers[1].directory, first.layers[0].directory])
            #expect(first.lowerdir == "\(first.layers[1].directory):\(first.layers[0].directory)")
            #expect(try FileSystem.lstat("\(first.layers[1].directory)/etc/hostname").isWhiteout)
            #expect(try FileSystem.lstat("\(first.layers[0].directory)/bin/busybox").permissions == 0o755)
            #expect(try FileSystem.listDirectory("\(scratch)/store/tmp").isEmpty)

            let second = try store.unpack(ImageLayout(path: "\(scratch)/image"))
            #expect(second.layers.allSatisfy { $0.unpacked == nil })
            #expect(second.lowerdir == first.lowerdir)

            for name in ["upper", "work", "merged"] { try FileSystem.mkdir("\(scratch)/\(name)") }
            let merged = "\(scratch)/merged"
            try Mounts.mount(
                source: "overlay", target: merged, fstype: "overlay", flags: [],
                data: "lowerdir=\(first.lowerdir),upperdir=\(scratch)/upper,workdir=\(scratch)/work"
            )
            defer { try? Mounts.unmount(merged) }
            #expect(try FileSystem.readFile("\(merged)/etc/motd") == bytes(BusyboxImage.motd))
            #expect(!exists("\(merged)/etc/hostname"))
            #expect(try FileSystem.listDirectory("\(merged)/etc") == ["group", "motd", "passwd"])
            #expect(try FileSystem.readlink("\(merged)/bin/sh") == "busybox")
            try Mounts.unmount(merged)
        }
    }

    @Test func anOpaqueMarkerHidesTheLowerDirectory() throws {
        try withScratchDirectory { scratch in
            for path in ["base", "base/data", "top", "top/data"] { try FileSystem.mkdir("\(scratch)/\(path)") }
            try FileSystem.writeFile("\(scratch)/base/data/old", bytes("old\n"))
            try FileSystem.writeFile("\(scratch)/top/data/\(Whiteout.opaqueMarker)", [])
            try FileSystem.writeFile("\(scratch)/top/data/new", bytes("new\n"))
            try ImageWriter.write(
                layerDirectories: ["\(scratch)/base", "\(scratch)/top"], execution: .init(Env: [], Cmd: ["/bin/sh"]),
                into: "\(scratch)/image"
            )
            let unpacked = try LayerStore(path: "\(scratch)/store").unpack(ImageLayout(path: "\(scratch)/image"))
            let top = unpacked.layers[1]
            #expect(top.unpacked?.opaqueDirectories == ["data"])
            #expect(try FileSystem.getxattr("\(top.directory)/data", Whiteout.opaqueAttribute) == bytes("y"))
            #expect(try FileSystem.listDirectory("\(top.directory)/data") == ["new"])
        }
    }
}
