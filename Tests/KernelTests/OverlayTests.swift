import Glibc
import Testing
import Kernel

/// A real overlay on a scratch tmpfs: what the overlay lessons show.
@Suite(.enabled(if: getuid() == 0, "mounting needs root"))
struct OverlayTests {
    @Test func overlayMergesLayersAndRecordsChangesInUpper() throws {
        try withScratchDirectory(tmpfs: true) { root in
            for name in ["lower", "upper", "work", "merged", "lower/dir"] { try FileSystem.mkdir("\(root)/\(name)") }
            try FileSystem.writeFile("\(root)/lower/in_lower.txt", bytes("I'm from lower\n"))
            try FileSystem.writeFile("\(root)/lower/in_both.txt", bytes("I'm from lower\n"))
            try FileSystem.writeFile("\(root)/lower/dir/old.txt", bytes("old\n"))
            try FileSystem.writeFile("\(root)/upper/in_upper.txt", bytes("I'm from upper\n"))
            try FileSystem.writeFile("\(root)/upper/in_both.txt", bytes("I'm from upper\n"))

            let data = "lowerdir=\(root)/lower,upperdir=\(root)/upper,workdir=\(root)/work"
            let recorder = TraceRecorder()
            try Trace.recording(into: recorder) {
                try Mounts.mount(source: "overlay", target: "\(root)/merged", fstype: "overlay", flags: [], data: data)
            }
            #expect(recorder.entries.map(\.description) == [
                #"mount("overlay", "\#(root)/merged", "overlay", 0, "\#(data)") = 0"#,
            ])

            let merged = "\(root)/merged"
            #expect(try FileSystem.listDirectory(merged) == ["dir", "in_both.txt", "in_lower.txt", "in_upper.txt"])
            #expect(try FileSystem.readFile("\(merged)/in_both.txt") == bytes("I'm from upper\n"))
            #expect(try FileSystem.readFile("\(merged)/in_lower.txt") == bytes("I'm from lower\n"))

            // Deleting a lower file through merged leaves a whiteout in upper.
            try FileSystem.unlink("\(merged)/in_lower.txt")
            let whiteout = try FileSystem.lstat("\(root)/upper/in_lower.txt")
            #expect(whiteout.isWhiteout)
            #expect(whiteout.modeString.hasPrefix("c"))
            #expect(try FileSystem.listDirectory("\(root)/lower").contains("in_lower.txt"))
            #expect(!(try FileSystem.listDirectory(merged).contains("in_lower.txt")))

            // Replacing a lower directory makes the new upper one opaque.
            try FileSystem.removeTree("\(merged)/dir")
            try FileSystem.mkdir("\(merged)/dir")
            #expect(try FileSystem.getxattr("\(root)/upper/dir", "trusted.overlay.opaque") == bytes("y"))
            #expect(try FileSystem.listxattr("\(root)/upper/dir").contains("trusted.overlay.opaque"))
            #expect(try FileSystem.listDirectory("\(merged)/dir").isEmpty)
            #expect(throws: KernelError.self) { try FileSystem.getxattr("\(root)/upper", "trusted.overlay.opaque") }

            let mount = try #require(try MountTable.read().mount(at: merged))
            #expect(mount.fstype == "overlay")
            #expect(mount.source == "overlay")
            #expect(mount.superOption("upperdir") == "\(root)/upper")
            #expect(mount.superOption("workdir") == "\(root)/work")
            #expect(mount.lowerDirectories == ["\(root)/lower"])
        }
    }

    @Test func escapedLowerdirRoundTripsThroughMountinfo() throws {
        try withScratchDirectory(tmpfs: true) { root in
            let layers = ["lo a", "lo,b", "lo:c", #"lo\d"#]
            for name in layers + ["upper", "work", "merged"] { try FileSystem.mkdir("\(root)/\(name)") }
            // overlayfs's own escapes for the characters that separate its options and layers.
            let lowerdir = layers.map { layer in
                "\(root)/" + layer.replacing("\\", with: #"\\"#)
                    .replacing(",", with: #"\,"#)
                    .replacing(":", with: #"\:"#)
            }.joined(separator: ":")
            try Mounts.mount(
                source: "overlay", target: "\(root)/merged", fstype: "overlay", flags: [],
                data: "lowerdir=\(lowerdir),upperdir=\(root)/upper,workdir=\(root)/work"
            )
            let mount = try #require(try MountTable.read().mount(at: "\(root)/merged"))
            #expect(mount.superOption("lowerdir") == lowerdir)
            #expect(mount.lowerDirectories == layers.map { "\(root)/\($0)" })
        }
    }
}
