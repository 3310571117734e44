import Kernel
import Testing
@testable import Image

/// Tar streams written and read back through libarchive, without touching the disk.
struct TarTests {
    let entries = [
        TarEntry(path: "bin", content: .directory, permissions: 0o755),
        TarEntry(path: "bin/tool", content: .file(bytes("#!/bin/sh\n")), permissions: 0o755),
        TarEntry(path: "bin/sh", content: .symlink(target: "tool"), permissions: 0o777),
        TarEntry(path: "bin/again", content: .hardlink(target: "bin/tool"), permissions: 0o755),
        TarEntry(path: "etc/.wh.hostname", content: .file([]), permissions: 0o644, uid: 7, gid: 8),
        TarEntry(path: "null", content: .device(.characterDevice, DeviceNumber(major: 1, minor: 3)), permissions: 0o666),
    ]

    @Test func membersRoundTrip() throws {
        #expect(try TarReader.entries(TarWriter.tar(entries)) == entries)
    }

    @Test func theSameMembersGiveTheSameBytes() throws {
        let tar = try TarWriter.tar(entries)
        #expect(try TarWriter.tar(entries) == tar)
        #expect(try TarWriter.gzip(tar) == TarWriter.gzip(tar))
    }

    @Test func gzipRoundTripsAndCarriesNoTimestamp() throws {
        let tar = try TarWriter.tar(entries)
        let compressed = try TarWriter.gzip(tar)
        #expect(compressed.count < tar.count)
        #expect(Array(compressed.prefix(2)) == [0x1f, 0x8b])
        #expect(Array(compressed[4..<8]) == [0, 0, 0, 0])
        #expect(try TarReader.decompressed(compressed) == tar)
        #expect(try TarReader.entries(compressed) == entries)
    }

    @Test func garbageIsRefusedInOneLine() {
        do {
            _ = try TarReader.entries(bytes("this is not a tar stream"))
            Issue.record("garbage was read as a tar stream")
        } catch {
            #expect("\(error)".hasPrefix("the tar stream cannot be read or written: "))
        }
    }
}
