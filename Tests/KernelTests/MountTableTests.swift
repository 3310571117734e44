import Glibc
import Testing
import Kernel

@Suite struct MountTableTests {
    @Test func parsesThisMachinesMountinfo() throws {
        let table = try MountTable.parse(fixture("mountinfo-host.txt"))
        #expect(table.entries.count == 19)
        let root = try #require(table.mount(at: "/"))
        #expect(root.mountID == 27)
        #expect(root.parentID == 1)
        #expect(root.device == DeviceNumber(major: 254, minor: 0))
        #expect(root.fstype == "ext4")
        #expect(root.source == "/dev/vda")
        #expect(root.mountOptions == ["rw", "relatime"])
        #expect(root.superOptions == ["rw", "discard", "resv_strict", "resuid=65534", "resgid=65534"])
        #expect(root.optionalFields.isEmpty)
        #expect(root.propagation == .private)
        #expect(!root.isReadOnly)
        #expect(table.mounts(under: "/sys/fs/cgroup").count == 11)
        #expect(table.mount(at: "/dev/pts")?.mountID == 29, "the later of two stacked mounts")
    }

    @Test func readsOverlayOptionsWithTheirEscapes() throws {
        let table = try MountTable.parse(fixture("mountinfo-handmade.txt"))
        let overlay = try #require(table.mount(at: "/run/boxlab/ovl two"))
        #expect(overlay.fstype == "overlay")
        #expect(overlay.superOption("lowerdir") == #"lo a:lo\,b:lo\:c:lo\\d"#)
        #expect(overlay.lowerDirectories == ["lo a", "lo,b", "lo:c", #"lo\d"#])
        #expect(overlay.superOption("upperdir") == "up")
        #expect(overlay.superOption("metacopy") == "")
        #expect(overlay.superOption("redirect_dir") == nil)
        #expect(overlay.superOption("up") == nil)
    }

    @Test func decodesEscapedPathsAndKeepsEmptySource() throws {
        let table = try MountTable.parse(fixture("mountinfo-handmade.txt"))
        let odd = try #require(table.entries.first { $0.mountID == 66 })
        #expect(odd.mountPoint == "/run/boxlab/tab\tnewline\nbackslash\\end")
        #expect(odd.source == "")
        let bind = try #require(table.mount(at: "/run/boxlab/my data/"))
        #expect(bind.root == "/ws/data")
        #expect(bind.isReadOnly)
        #expect(table.entries.first { $0.mountID == 63 }?.source == "scratch disk")
    }

    @Test func readsPropagationFromOptionalFields() throws {
        let table = try MountTable.parse(fixture("mountinfo-handmade.txt"))
        let byID = Dictionary(uniqueKeysWithValues: table.entries.map { ($0.mountID, $0) })
        #expect(byID[60]?.propagation == .shared)
        #expect(byID[60]?.peerGroup == 30)
        #expect(byID[62]?.propagation == .shared)
        #expect(byID[62]?.masterGroup == 1)
        #expect(byID[63]?.propagation == .slave)
        #expect(byID[63]?.masterGroup == 30)
        #expect(byID[63]?.peerGroup == nil)
        #expect(byID[64]?.propagation == .unbindable)
        #expect(byID[65]?.propagation == .private)
    }

    @Test func findsTopmostMountAndSubtrees() throws {
        let table = try MountTable.parse(fixture("mountinfo-handmade.txt"))
        #expect(table.mount(at: "/run/boxlab/ws/merged")?.mountID == 67)
        #expect(table.mount(at: "/run/boxlab/ws") == nil)
        #expect(table.mounts(under: "/run/boxlab/ws").map(\.mountID) == [61, 67])
        #expect(table.mounts(under: "/run/boxlab").count == 8)
        #expect(table.mounts(under: "/").count == table.entries.count)
        #expect(table.mounts(under: "/run/box").isEmpty, "a prefix of a name is not a parent")
    }

    @Test func findsTheMountAPathIsOn() throws {
        let table = try MountTable.parse("""
            1 0 254:0 / / rw - ext4 /dev/vda rw
            2 1 0:20 / /run rw,nosuid - tmpfs tmpfs rw
            3 2 0:21 / /run/box rw,noexec - tmpfs tmpfs rw
            4 2 0:22 / /run/box rw,nodev - tmpfs tmpfs rw

            """)
        // The deepest mount point above it, and of two stacked there the one on top.
        #expect(table.mount(containing: "/run/box/ws/file")?.mountID == 4)
        #expect(table.mount(containing: "/run/box/")?.mountID == 4)
        #expect(table.mount(containing: "/run/boxlab")?.mountID == 2, "a prefix of a name is not a parent")
        #expect(table.mount(containing: "/etc")?.mountID == 1)
    }

    @Test(arguments: [
        ("1 0 254:0 / / rw - ext4 /dev/vda", "2 fields after \"-\", expected 3"),
        ("1 0 254:0 / / rw ext4 /dev/vda rw", "no \"-\" separator"),
        ("x 0 254:0 / / rw - ext4 /dev/vda rw", "mount ID"),
        ("1 0 254 / / rw - ext4 /dev/vda rw", "major:minor"),
        ("1 0 254:0 / - ext4 /dev/vda rw", "fields before"),
    ])
    func rejectsMalformedLines(line: String, reason: String) throws {
        let error = try #require(throws: MountInfoParseError.self) {
            try MountTable.parse("1 0 254:0 / / rw - ext4 /dev/vda rw\n\(line)\n")
        }
        #expect(error.line == 2)
        #expect(error.reason.contains(reason), "\(error)")
    }

    @Test func readsTheLiveTable() throws {
        let table = try MountTable.read()
        #expect(table.mount(at: "/") != nil)
        #expect(try MountTable.read(pid: getpid()).mount(at: "/") != nil)
    }
}
