import Glibc
import Kernel
import Testing
@testable import Image

/// Layers built to escape the directory they are unpacked into. Every escape aims at a canary
/// in the test's own scratch directory, next to the store (`scratch/outside/canary`), and each
/// test checks that the canary's bytes, mode, owner and links are as they were, and that the
/// unpack was refused with the rule the layer broke, or that the member landed inside.
@Suite(.enabled(if: getuid() == 0, "needs root: members are chowned, whiteouts are device nodes"))
struct HostileLayerTests {
    /// From a layer's staging directory, `store/tmp/<hex>/diff`, up to the scratch directory.
    static let up = "../../../.."

    @Test func aHardLinkThroughASymbolicLinkIsRefused() throws {
        try withCanary { scratch, canary in
            let (layout, digest) = try image(in: scratch, [
                TarEntry(path: "escape", content: .symlink(target: "\(scratch)/outside"), permissions: 0o777),
                TarEntry(path: "stolen", content: .hardlink(target: "escape/canary"), permissions: 0o4777, uid: 0, gid: 0),
            ])
            try expectRefused(layout, in: scratch, digest, member: "stolen", "is a hard link to escape/canary, which goes through the symbolic link escape")
        }
    }

    @Test func aFileThroughASymbolicLinkIsRefused() throws {
        try withCanary { scratch, canary in
            let (layout, digest) = try image(in: scratch, [
                TarEntry(path: "escape", content: .symlink(target: "\(scratch)/outside"), permissions: 0o777),
                TarEntry(path: "escape/canary", content: .file(bytes("overwritten\n")), permissions: 0o4777),
                TarEntry(path: "escape/planted", content: .file(bytes("x")), permissions: 0o644),
            ])
            try expectRefused(layout, in: scratch, digest, member: "escape/canary", "goes through the symbolic link escape")
        }
    }

    @Test func aSymbolicLinkThatPointsInsideIsNotGoneThroughEither() throws {
        try withCanary { scratch, canary in
            let (layout, digest) = try image(in: scratch, [
                TarEntry(path: "real", content: .directory, permissions: 0o755),
                TarEntry(path: "real/deep", content: .directory, permissions: 0o755),
                TarEntry(path: "real/deep/alias", content: .symlink(target: ".."), permissions: 0o777),
                TarEntry(path: "real/deep/alias/file", content: .file(bytes("x")), permissions: 0o644),
            ])
            try expectRefused(layout, in: scratch, digest, member: "real/deep/alias/file", "goes through the symbolic link real/deep/alias")
        }
    }

    @Test func namesThatClimbOutOrAreAbsoluteAreRefused() throws {
        try withCanary { scratch, canary in
            for (path, rule) in [
                ("\(Self.up)/outside/canary", "climbs out with .."),
                ("etc/../\(Self.up)/outside/canary", "climbs out with .."),
                ("\(scratch)/outside/canary", "is an absolute path"),
            ] {
                let (layout, digest) = try image(in: scratch, [
                    TarEntry(path: "etc", content: .directory, permissions: 0o755),
                    TarEntry(path: path, content: .file(bytes("overwritten\n")), permissions: 0o4777),
                ])
                try expectRefused(layout, in: scratch, digest, member: path, rule)
            }
        }
    }

    @Test func hardLinksThatClimbOutOrAreAbsoluteAreRefused() throws {
        try withCanary { scratch, canary in
            for (target, rule) in [
                ("\(Self.up)/outside/canary", "climbs out with .."),
                ("\(scratch)/outside/canary", "is an absolute path"),
                (".", "is the layer's root"),
            ] {
                let (layout, digest) = try image(in: scratch, [
                    TarEntry(path: "stolen", content: .hardlink(target: target), permissions: 0o4777),
                ])
                try expectRefused(layout, in: scratch, digest, member: "stolen", "is a hard link to \(target), which \(rule)")
            }
        }
    }

    /// `x` first points at the canary; later members of the same name replace the link, never
    /// what it points at, and their owner and mode land on the new member inside.
    @Test func aLaterMemberReplacesASymbolicLinkOutsideAndKeepsItsModeInside() throws {
        try withCanary { scratch, canary in
            let kinds: [(String, TarEntry.Content, FileType)] = [
                ("file", .file(bytes("inside\n")), .regular),
                ("directory", .directory, .directory),
                ("fifo", .fifo, .fifo),
            ]
            let entries = kinds.flatMap { name, content, _ in [
                TarEntry(path: name, content: .symlink(target: "\(scratch)/outside/canary"), permissions: 0o777),
                TarEntry(path: name, content: content, permissions: 0o4755, uid: 7, gid: 8),
            ] } + [
                TarEntry(path: "gone", content: .symlink(target: "\(scratch)/outside/canary"), permissions: 0o777),
                TarEntry(path: ".wh.gone", content: .file([]), permissions: 0o4777),
                TarEntry(path: "link", content: .symlink(target: "\(scratch)/outside/canary"), permissions: 0o777),
                // A hard link to the link is the link's inode again, with no mode or owner of its own.
                TarEntry(path: "second", content: .hardlink(target: "link"), permissions: 0o4777, uid: 7, gid: 8),
            ]
            let (layout, _) = try image(in: scratch, entries)
            let layer = try LayerStore(path: "\(scratch)/store").unpack(layout).layers[0]
            for (name, _, type) in kinds {
                let status = try FileSystem.lstat("\(layer.directory)/\(name)")
                #expect(status.type == type && status.permissions == 0o4755 && status.uid == 7 && status.gid == 8, "\(name): \(status)")
            }
            #expect(try FileSystem.readFile("\(layer.directory)/file") == bytes("inside\n"))
            #expect(try FileSystem.lstat("\(layer.directory)/gone").isWhiteout)
            let second = try FileSystem.lstat("\(layer.directory)/second")
            #expect(second.type == .symlink && second.links == 2 && second.uid == 0)
            #expect(layer.unpacked?.whiteouts == ["gone"])
        }
    }

    @Test func aDirectoryReplacedByASymbolicLinkCannotBeEnteredAgain() throws {
        try withCanary { scratch, canary in
            let (layout, digest) = try image(in: scratch, [
                TarEntry(path: "d", content: .directory, permissions: 0o755),
                TarEntry(path: "d/inner", content: .file(bytes("x")), permissions: 0o644),
                TarEntry(path: "d", content: .symlink(target: "\(scratch)/outside"), permissions: 0o777),
                TarEntry(path: "d/canary", content: .file(bytes("overwritten\n")), permissions: 0o4777),
            ])
            try expectRefused(layout, in: scratch, digest, member: "d/canary", "goes through the symbolic link d")
        }
    }

    @Test func anOpaqueMarkerOrWhiteoutCannotReachOutside() throws {
        try withCanary { scratch, canary in
            let cases: [([TarEntry], String, String)] = [
                ([TarEntry(path: "escape", content: .symlink(target: "\(scratch)/outside"), permissions: 0o777),
                  TarEntry(path: "escape/\(Whiteout.opaqueMarker)", content: .file([]), permissions: 0o644)],
                 "escape/\(Whiteout.opaqueMarker)", "goes through the symbolic link escape"),
                ([TarEntry(path: "escape", content: .symlink(target: "\(scratch)/outside"), permissions: 0o777),
                  TarEntry(path: "escape/.wh.canary", content: .file([]), permissions: 0o644)],
                 "escape/.wh.canary", "goes through the symbolic link escape"),
                ([TarEntry(path: "etc/.wh...", content: .file([]), permissions: 0o644)], "etc/.wh...", "whites out .., the directory it is in or the one above"),
                ([TarEntry(path: ".wh..", content: .file([]), permissions: 0o644)], ".wh..", "whites out ., the directory it is in or the one above"),
            ]
            for (entries, member, rule) in cases {
                let (layout, digest) = try image(in: scratch, entries)
                try expectRefused(layout, in: scratch, digest, member: member, rule)
            }
            #expect((try? FileSystem.getxattr("\(scratch)/outside", Whiteout.opaqueAttribute)) == nil)
        }
    }

    @Test func theLayersRootStaysADirectory() throws {
        try withCanary { scratch, canary in
            let (layout, digest) = try image(in: scratch, [
                TarEntry(path: ".", content: .symlink(target: "\(scratch)/outside"), permissions: 0o777),
                TarEntry(path: "canary", content: .file(bytes("overwritten\n")), permissions: 0o4777),
            ])
            try expectRefused(layout, in: scratch, digest, member: ".", "would replace the layer's root directory")
        }
    }

    @Test func devicesBecomeEmptyFilesOfModeZeroAndFifosAndWhiteoutsAreMade() throws {
        try withCanary { scratch, _ in
            let (layout, _) = try image(in: scratch, [
                TarEntry(path: "dev/sda", content: .device(.blockDevice, DeviceNumber(major: 8, minor: 0)), permissions: 0o666, uid: 3, gid: 4),
                TarEntry(path: "dev/mem", content: .device(.characterDevice, DeviceNumber(major: 1, minor: 1)), permissions: 0o4666),
                TarEntry(path: "dev/pipe", content: .fifo, permissions: 0o640, uid: 3, gid: 4),
                TarEntry(path: "etc/gone", content: .device(.characterDevice, DeviceNumber(major: 0, minor: 0)), permissions: 0o600),
            ])
            let layer = try LayerStore(path: "\(scratch)/store").unpack(layout).layers[0]
            let sda = try FileSystem.lstat("\(layer.directory)/dev/sda")
            #expect(sda.type == .regular && sda.permissions == 0 && sda.size == 0 && sda.uid == 3 && sda.gid == 4)
            let mem = try FileSystem.lstat("\(layer.directory)/dev/mem")
            #expect(mem.type == .regular && mem.permissions == 0)
            let pipe = try FileSystem.lstat("\(layer.directory)/dev/pipe")
            #expect(pipe.type == .fifo && pipe.permissions == 0o640 && pipe.uid == 3)
            #expect(try FileSystem.lstat("\(layer.directory)/etc/gone").isWhiteout)
            #expect(layer.unpacked?.devices == ["dev/sda", "dev/mem"])
            #expect(layer.unpacked?.whiteouts == ["etc/gone"])
        }
    }

    @Test func setuidAndSetgidAreKeptAfterTheOwnerAndAHardLinkChangesNeither() throws {
        try withCanary { scratch, _ in
            let (layout, _) = try image(in: scratch, [
                TarEntry(path: "bin/su", content: .file(bytes("su")), permissions: 0o4755, uid: 0, gid: 0),
                TarEntry(path: "bin/wall", content: .file(bytes("wall")), permissions: 0o2755, uid: 5, gid: 5),
                TarEntry(path: "tmp", content: .directory, permissions: 0o1777),
                TarEntry(path: "bin/again", content: .hardlink(target: "bin/wall"), permissions: 0o6777, uid: 9, gid: 9),
            ])
            let layer = try LayerStore(path: "\(scratch)/store").unpack(layout).layers[0]
            #expect(try FileSystem.lstat("\(layer.directory)/bin/su").modeString == "-rwsr-xr-x")
            let wall = try FileSystem.lstat("\(layer.directory)/bin/wall")
            #expect(wall.modeString == "-rwxr-sr-x" && wall.uid == 5 && wall.links == 2)
            #expect(try FileSystem.lstat("\(layer.directory)/tmp").modeString == "drwxrwxrwt")
        }
    }

    @Test func aKernelFailureNamesTheLayerAndTheMemberOnOneLine() throws {
        try withCanary { scratch, _ in
            let (layout, digest) = try image(in: scratch, [
                TarEntry(path: "stolen", content: .hardlink(target: "missing"), permissions: 0o644),
            ])
            let error = try #require(throws: ImageError.self) { try LayerStore(path: "\(scratch)/store").unpack(layout) }
            guard case .unpackFailed(1, digest, "stolen", let kernel) = error else { Issue.record("\(error)"); return }
            #expect(kernel.call == "linkat" && kernel.errno == .ENOENT)
            #expect("\(error)".hasPrefix("layer 1 \(digest): member stolen cannot be unpacked: linkat("))
            #expect(!"\(error)".contains("\n"))
        }
    }

    // MARK: Helpers

    /// Runs `body` with a scratch directory holding `outside/canary` ("canary\n", mode 0640,
    /// owner 1234:1235), then checks that nothing outside changed: the canary's bytes, mode,
    /// owner and link count, and the directory's names and mode.
    private func withCanary(_ body: (String, String) throws -> Void) throws {
        try withScratchDirectory { scratch in
            let outside = "\(scratch)/outside", canary = "\(scratch)/outside/canary"
            try FileSystem.mkdir(outside, mode: 0o755)
            try FileSystem.writeFile(canary, bytes("canary\n"), mode: 0o640)
            try FileSystem.chmod(canary, permissions: 0o640)
            try FileSystem.lchown(canary, uid: 1234, gid: 1235)
            let before = try FileSystem.lstat(canary), directoryBefore = try FileSystem.lstat(outside)
            try body(scratch, canary)
            let after = try FileSystem.lstat(canary)
            #expect(try FileSystem.readFile(canary) == bytes("canary\n"))
            #expect(after.permissions == 0o640 && after.uid == 1234 && after.gid == 1235 && after.links == 1)
            #expect(after.inode == before.inode && after.modified == before.modified)
            #expect(try FileSystem.listDirectory(outside) == ["canary"])
            let directoryAfter = try FileSystem.lstat(outside)
            #expect(directoryAfter.permissions == directoryBefore.permissions && directoryAfter.uid == directoryBefore.uid)
        }
    }

    /// An image of one layer holding `entries`, written (again) at `scratch/image`, and the
    /// layer's digest.
    private func image(in scratch: String, _ entries: [TarEntry]) throws -> (ImageLayout, Digest) {
        let path = "\(scratch)/image"
        if exists(path) { try FileSystem.removeTree(path) }
        let layout = try ImageLayout.create(at: path)
        let layer = try layout.write(blob: TarWriter.tar(entries), mediaType: MediaType.layer)
        let config = try layout.write(blob: ImageJSON.encode(ImageConfiguration(
            architecture: "amd64", config: .init(Env: [], Cmd: []), rootfs: .init(diff_ids: [layer.digest])
        )), mediaType: MediaType.config)
        let manifest = try layout.write(blob: ImageJSON.encode(ImageManifest(config: config, layers: [layer])), mediaType: MediaType.manifest)
        try layout.writeIndex(ImageIndex(manifests: [manifest]))
        return (layout, layer.digest)
    }

    /// Unpacking `layout` fails on `member` with `rule`, in one line, and leaves no layer behind.
    private func expectRefused(
        _ layout: ImageLayout, in scratch: String, _ digest: Digest, member: String, _ rule: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let expected = ImageError.unsafeEntry(layer: 1, digest: digest, member: member, reason: rule)
        let error = #expect(throws: ImageError.self, sourceLocation: sourceLocation) {
            try LayerStore(path: "\(scratch)/store").unpack(layout)
        }
        #expect(error == expected, sourceLocation: sourceLocation)
        #expect("\(expected)" == "layer 1 \(digest): member \(member) \(rule): refusing to unpack the layer, as its members must stay inside its directory")
        #expect(try FileSystem.listDirectory("\(scratch)/store/sha256").isEmpty, sourceLocation: sourceLocation)
        #expect(try FileSystem.listDirectory("\(scratch)/store/tmp").isEmpty, sourceLocation: sourceLocation)
    }
}
