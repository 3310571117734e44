import Glibc
import Testing
import Kernel

/// Propagation changes on mounts inside a scratch tmpfs, read back from mountinfo.
@Suite(.enabled(if: getuid() == 0, "mounting needs root"))
struct PropagationTests {
    @Test func propagationChangesShowInMountinfo() throws {
        try withScratchDirectory(tmpfs: true) { root in
            func entry(_ path: String) throws -> MountInfoEntry { try #require(try MountTable.read().mount(at: path)) }
            #expect(try entry(root).propagation == .private)

            let recorder = TraceRecorder()
            try Trace.recording(into: recorder) {
                try Mounts.mount(source: nil, target: root, fstype: nil, flags: Propagation.shared.flag, data: nil)
            }
            #expect(recorder.entries.map(\.description) == [#"mount(NULL, "\#(root)", NULL, MS_SHARED, NULL) = 0"#])
            let group = try #require(try entry(root).peerGroup)
            #expect(try entry(root).propagation == .shared)

            // A bind mount of a shared mount joins its peer group.
            try FileSystem.mkdir("\(root)/a")
            try FileSystem.mkdir("\(root)/b")
            try Mounts.mount(source: "\(root)/a", target: "\(root)/b", fstype: nil, flags: .bind, data: nil)
            #expect(try entry("\(root)/b").peerGroup == group)
            #expect(try entry("\(root)/b").root == "/a")

            try Mounts.mount(source: nil, target: "\(root)/b", fstype: nil, flags: .slave, data: nil)
            #expect(try entry("\(root)/b").propagation == .slave)
            #expect(try entry("\(root)/b").masterGroup == group)

            try Mounts.mount(source: nil, target: "\(root)/b", fstype: nil, flags: [.recursive, .private], data: nil)
            #expect(try entry("\(root)/b").propagation == .private)
            #expect(try entry("\(root)/b").optionalFields.isEmpty)

            try Mounts.mount(source: nil, target: "\(root)/b", fstype: nil, flags: .unbindable, data: nil)
            #expect(try entry("\(root)/b").propagation == .unbindable)
            #expect(throws: KernelError.self) {
                try Mounts.mount(source: "\(root)/b", target: "\(root)/a", fstype: nil, flags: .bind, data: nil)
            }

            try Mounts.unmount("\(root)/b")
            #expect(try MountTable.read().mount(at: "\(root)/b") == nil)
        }
    }

    @Test func readOnlyRemountShowsInMountOptions() throws {
        try withScratchDirectory(tmpfs: true) { root in
            let options = MountOptions.parse("remount,bind,ro")
            try Mounts.mount(source: nil, target: root, fstype: nil, flags: options.flags, data: options.dataString)
            #expect(try MountTable.read().mount(at: root)?.isReadOnly == true)
            #expect(throws: KernelError(call: "mkdir", arguments: ["\"\(root)/x\"", "0755"], errno: Errno(EROFS))) {
                try FileSystem.mkdir("\(root)/x")
            }
        }
    }
}
