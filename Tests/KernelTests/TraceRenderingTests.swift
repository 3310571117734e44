import Testing
import Kernel

@Suite struct TraceRenderingTests {
    @Test func failingCallIsTracedAndThrown() throws {
        let recorder = TraceRecorder()
        let error = try #require(throws: KernelError.self) {
            try Trace.recording(into: recorder) { try FileSystem.mkdir("/nonexistent/x") }
        }
        #expect(recorder.entries.map(\.description) == [
            #"mkdir("/nonexistent/x", 0755) = -1 ENOENT (No such file or directory)"#,
        ])
        #expect(error.call == "mkdir")
        #expect(error.arguments == [#""/nonexistent/x""#, "0755"])
        #expect(error.errno == .ENOENT)
    }

    @Test func pathsAreNeverTruncated() throws {
        let path = "/nonexistent/" + String(repeating: "long-name/", count: 10)
        let recorder = TraceRecorder()
        _ = try? Trace.recording(into: recorder) { try FileSystem.rmdir(path) }
        #expect(recorder.entries.map(\.arguments) == [["\"\(path)\""]])
    }

    @Test func writeAndReadTraceLikeStrace() throws {
        try withScratchDirectory { directory in
            let path = directory + "/in_upper.txt"
            let recorder = TraceRecorder()
            let contents = try Trace.recording(into: recorder) {
                try FileSystem.writeFile(path, bytes("I'm from upper\n"))
                return try FileSystem.readFile(path)
            }
            #expect(contents == bytes("I'm from upper\n"))
            let entries = recorder.entries
            try #require(entries.count == 7)
            let written = try #require(entries[0].result), read = try #require(entries[3].result)
            #expect(entries.map(\.description) == [
                #"openat(AT_FDCWD, "\#(path)", O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC, 0644) = \#(written)"#,
                #"write(\#(written), "I'm from upper\n", 15) = 15"#,
                "close(\(written)) = 0",
                #"openat(AT_FDCWD, "\#(path)", O_RDONLY|O_CLOEXEC) = \#(read)"#,
                #"read(\#(read), "I'm from upper\n", 65536) = 15"#,
                #"read(\#(read), "", 65536) = 0"#,
                "close(\(read)) = 0",
            ])
        }
    }

    @Test func statRendersStraceShortForm() throws {
        try withScratchDirectory { directory in
            let path = directory + "/f"
            try FileSystem.writeFile(path, bytes("fifteen bytes!\n"), mode: 0o644)
            let size = try FileSystem.stat(directory).size
            let recorder = TraceRecorder()
            try Trace.recording(into: recorder) {
                _ = try FileSystem.stat(path)
                _ = try FileSystem.lstat(directory)
                _ = try? FileSystem.stat(directory + "/missing")
            }
            #expect(recorder.entries.map(\.description) == [
                #"stat("\#(path)", {st_mode=S_IFREG|0644, st_size=15, ...}) = 0"#,
                #"lstat("\#(directory)", {st_mode=S_IFDIR|0700, st_size=\#(size), ...}) = 0"#,
                #"stat("\#(directory)/missing", 0x…) = -1 ENOENT (No such file or directory)"#,
            ])
        }
    }

    @Test func directoryListingIsGetdents64() throws {
        try withScratchDirectory { directory in
            try FileSystem.mkdir(directory + "/b")
            try FileSystem.writeFile(directory + "/a", [])
            let recorder = TraceRecorder()
            let names = try Trace.recording(into: recorder) { try FileSystem.listDirectory(directory) }
            #expect(names == ["a", "b"])
            let entries = recorder.entries
            try #require(entries.count == 4)
            let fd = try #require(entries[0].result)
            #expect(entries[0].description
                == #"openat(AT_FDCWD, "\#(directory)", O_RDONLY|O_CLOEXEC|O_DIRECTORY) = \#(fd)"#)
            #expect(entries[1].arguments == [fd, "0x… /* 4 entries */", "32768"])
            #expect(entries[2].description == "getdents64(\(fd), 0x… /* 0 entries */, 32768) = 0")
            #expect(entries[3].description == "close(\(fd)) = 0")
        }
    }

    @Test func extendedAttributesAskForTheSizeFirst() throws {
        try withScratchDirectory { directory in
            let path = directory + "/f"
            try FileSystem.writeFile(path, [])
            let recorder = TraceRecorder()
            let error = try #require(throws: KernelError.self) {
                try Trace.recording(into: recorder) { try FileSystem.getxattr(path, "user.boxlab") }
            }
            #expect(error.errno == .ENODATA)
            try Trace.recording(into: recorder) {
                try FileSystem.setxattr(path, "user.boxlab", bytes("y"))
                #expect(try FileSystem.getxattr(path, "user.boxlab") == bytes("y"))
            }
            #expect(recorder.entries.map(\.description) == [
                #"getxattr("\#(path)", "user.boxlab", NULL, 0) = -1 ENODATA (No data available)"#,
                #"setxattr("\#(path)", "user.boxlab", "y", 1, 0) = 0"#,
                #"getxattr("\#(path)", "user.boxlab", NULL, 0) = 1"#,
                #"getxattr("\#(path)", "user.boxlab", "y", 1) = 1"#,
            ])
        }
    }

    @Test func linksAndNodes() throws {
        try withScratchDirectory { directory in
            let recorder = TraceRecorder()
            try Trace.recording(into: recorder) {
                try FileSystem.symlink("target", at: directory + "/link")
                #expect(try FileSystem.readlink(directory + "/link") == "target")
                let unused = DeviceNumber(rawValue: 0)
                try FileSystem.mknod(directory + "/fifo", type: .fifo, permissions: 0o644, device: unused)
                try FileSystem.rename(directory + "/fifo", to: directory + "/pipe")
                try FileSystem.unlink(directory + "/pipe")
            }
            #expect(recorder.entries.map(\.description) == [
                #"symlink("target", "\#(directory)/link") = 0"#,
                #"readlink("\#(directory)/link", "target", 4096) = 6"#,
                #"mknod("\#(directory)/fifo", S_IFIFO|0644) = 0"#,
                #"rename("\#(directory)/fifo", "\#(directory)/pipe") = 0"#,
                #"unlink("\#(directory)/pipe") = 0"#,
            ])
        }
    }

    @Test func mountCallsRenderNullAndFlags() throws {
        let recorder = TraceRecorder()
        let data = "lowerdir=" + String(repeating: "/lower", count: 20) + ",upperdir=/u,workdir=/w"
        Trace.recording(into: recorder) {
            let target = "/nonexistent/x"
            _ = try? Mounts.mount(source: nil, target: target, fstype: nil, flags: [.recursive, .private], data: nil)
            _ = try? Mounts.mount(source: "overlay", target: target, fstype: "overlay", flags: [], data: data)
            _ = try? Mounts.unmount("/nonexistent/x", flags: .detach)
            _ = try? Mounts.pivotRoot(newRoot: "/nonexistent/x", putOld: "/nonexistent/x/old")
        }
        let entries = recorder.entries
        #expect(entries.map(\.call) == ["mount", "mount", "umount2", "pivot_root"])
        #expect(entries.allSatisfy { $0.errno != nil }, "none of them can succeed")
        #expect(entries[0].arguments == ["NULL", #""/nonexistent/x""#, "NULL", "MS_REC|MS_PRIVATE", "NULL"])
        #expect(entries[1].arguments == [#""overlay""#, #""/nonexistent/x""#, #""overlay""#, "0", "\"\(data)\""])
        #expect(entries[2].arguments == [#""/nonexistent/x""#, "MNT_DETACH"])
        #expect(entries[3].arguments == [#""/nonexistent/x""#, #""/nonexistent/x/old""#])
    }

    @Test func quotingBytes() {
        #expect(traceQuote(bytes("I'm from upper\n")) == #""I'm from upper\n""#)
        #expect(traceQuote([0x79, 0x00, 0xff]) == #""y\0\377""#)
        #expect(traceQuote(bytes("a\0b\0")) == #""a\0b\0""#)
        #expect(traceQuote(bytes("café")) == #""café""#)
        #expect(traceQuote(bytes("abcdef"), limit: 3) == #""abc"..."#)
    }
}
