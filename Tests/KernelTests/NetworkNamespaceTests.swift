import Glibc
import Kernel
import Testing

/// Named network namespaces, made the way `ip netns add` makes them, in a scratch directory.
@Suite(.enabled(if: getuid() == 0, "creating namespaces needs root"))
struct NetworkNamespaceTests {
    @Test func addListOpenDelete() throws {
        try withNamespaceDirectory { namespaces in
            let recorder = TraceRecorder()
            try Trace.recording(into: recorder) { try namespaces.add("red") }
            let directory = namespaces.directory, file = namespaces.path(of: "red")
            #expect(recorder.entries.map(\.description) == [
                #"mkdir("\#(directory)", 0755) = 0"#,
                #"mount("", "\#(directory)", "none", MS_REC|MS_SHARED, NULL) = -1 EINVAL (Invalid argument)"#,
                #"mount("\#(directory)", "\#(directory)", "none", MS_BIND|MS_REC, NULL) = 0"#,
                #"mount("", "\#(directory)", "none", MS_REC|MS_SHARED, NULL) = 0"#,
                recorder.entries[4].description,
                recorder.entries[5].description,
                "unshare(CLONE_NEWNET) = 0",
                #"mount("/proc/thread-self/ns/net", "\#(file)", "none", MS_BIND, NULL) = 0"#,
            ])
            #expect(recorder.entries[4].description.hasPrefix(#"openat(AT_FDCWD, "\#(file)", O_RDONLY|O_CREAT|O_EXCL|O_CLOEXEC, 000) = "#))
            try namespaces.add("blue")
            #expect(try namespaces.list() == ["blue", "red"])
            let mount = try #require(try MountTable.read().mount(at: file))
            #expect(mount.fstype == "nsfs")
            #expect(try MountTable.read().mount(at: directory)?.propagation == .shared)

            let red = try namespaces.open("red"), blue = try namespaces.open("blue")
            let inodes = try [red, blue].map { try FileSystem.stat($0.path).inode }
            #expect(inodes[0] != inodes[1])
            #expect(!inodes.contains(try FileSystem.stat("/proc/self/ns/net").inode))

            let error = try #require(throws: KernelError.self) { try namespaces.add("red") }
            #expect(error.errno == .EEXIST)

            try namespaces.delete("red")
            #expect(try namespaces.list() == ["blue"])
            #expect(try MountTable.read().mount(at: file) == nil)
            #expect(throws: KernelError.self) { try namespaces.delete("red") }
            // The open descriptor keeps the deleted namespace alive, and usable.
            #expect(try RouteNetlink(in: red).links().map(\.name) == ["lo"])
        }
    }

    @Test func badNamesAreRefused() throws {
        let namespaces = NetworkNamespaces(directory: "/nonexistent")
        for name in ["", ".", "..", "a/b"] {
            let error = try #require(throws: KernelError.self) { try namespaces.add(name) }
            #expect(error.errno == .EINVAL)
        }
    }

    @Test func listingAMissingDirectoryIsEmpty() throws {
        #expect(try NetworkNamespaces(directory: "/nonexistent/netns").list() == [])
    }

    /// The same files, so each side sees the other's: `ip netns` and `nsenter` find BoxLab's
    /// namespaces, and BoxLab finds one util-linux made.
    @Test func iproute2AndUtilLinuxShareThem() throws {
        try withNamespaceDirectory { namespaces in
            try namespaces.add("red")
            #expect(try iproute2(["netns", "list"], namespaces: namespaces).contains("red"))
            let links = try iproute2JSON(["-n", "red", "link", "show"], namespaces: namespaces)
            #expect(links.compactMap { $0["ifname"] as? String } == ["lo"])
            _ = try iproute2(["--net=\(namespaces.path(of: "red"))", "ip", "link", "set", "lo", "up"], program: "nsenter")
            #expect(try RouteNetlink(in: namespaces.open("red")).link("lo").isUp)

            try FileSystem.writeFile(namespaces.path(of: "green"), [])
            _ = try iproute2(["--net=\(namespaces.path(of: "green"))", "true"], program: "unshare")
            #expect(try namespaces.list() == ["green", "red"])
            #expect(try RouteNetlink(in: namespaces.open("green")).links().map(\.name) == ["lo"])
        }
    }

    @Test func theNamespaceOfAProcess() throws {
        let own = try NetworkNamespace.open(pid: getpid())
        #expect(try FileSystem.stat(own.path).inode == FileSystem.stat("/proc/self/ns/net").inode)
        #expect(try FileSystem.stat(NetworkNamespace.current().path).inode == FileSystem.stat(own.path).inode)
        #expect(throws: KernelError.self) { try NetworkNamespace.open(pid: -1) }
    }

    /// setns moves only the thread that calls it: the work runs on a thread of its own, and
    /// every other thread, the caller's included, stays where it was.
    @Test func performRunsInsideAndLeavesTheCallerOutside() throws {
        try withNamespaceDirectory { namespaces in
            try namespaces.add("red")
            let red = try namespaces.open("red")
            let redInode = try FileSystem.stat(red.path).inode
            let outside = try FileSystem.stat("/proc/thread-self/ns/net").inode
            let inside = try red.perform { () throws(KernelError) in try FileSystem.stat("/proc/thread-self/ns/net").inode }
            #expect(inside == redInode)
            #expect(try FileSystem.stat("/proc/thread-self/ns/net").inode == outside)
            let error = try #require(throws: KernelError.self) {
                try red.perform { () throws(KernelError) in try FileSystem.mkdir("/nonexistent/x") }
            }
            #expect(error.errno == .ENOENT)
        }
    }
}
