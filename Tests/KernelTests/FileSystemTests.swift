import Glibc
import Testing
import Kernel

@Suite struct FileSystemTests {
    @Test func filesAndDirectories() throws {
        try withScratchDirectory { directory in
            try FileSystem.mkdir(directory + "/sub", mode: 0o700)
            try FileSystem.writeFile(directory + "/sub/file", bytes("one\n"))
            try FileSystem.writeFile(directory + "/sub/file", bytes("two\n"), append: true)
            #expect(try FileSystem.readFile(directory + "/sub/file") == bytes("one\ntwo\n"))
            let status = try FileSystem.stat(directory + "/sub/file")
            #expect(status.type == .regular)
            #expect(status.size == 8)
            #expect(status.links == 1)
            #expect(status.modeString == "-rw-r--r--")
            #expect(try FileSystem.stat(directory + "/sub").modeString == "drwx------")
            #expect(try FileSystem.listDirectory(directory) == ["sub"])
            try FileSystem.rename(directory + "/sub/file", to: directory + "/moved")
            #expect(try FileSystem.listDirectory(directory) == ["moved", "sub"])
            try FileSystem.rmdir(directory + "/sub")
            try FileSystem.unlink(directory + "/moved")
            #expect(try FileSystem.listDirectory(directory).isEmpty)
        }
    }

    @Test func modesOwnersHardLinksAndTemporaryDirectories() throws {
        try withScratchDirectory { directory in
            let temporary = try FileSystem.makeTemporaryDirectory(prefix: directory + "/tmp.")
            #expect(temporary.hasPrefix(directory + "/tmp.") && temporary.count == directory.count + 11)
            #expect(try FileSystem.stat(temporary).modeString == "drwx------")
            try FileSystem.chmod(temporary, permissions: 0o1777)
            #expect(try FileSystem.stat(temporary).modeString == "drwxrwxrwt")
            try FileSystem.writeFile(directory + "/file", bytes("one\n"))
            try FileSystem.link(directory + "/file", at: directory + "/second")
            #expect(try FileSystem.stat(directory + "/second").links == 2)
            try FileSystem.symlink("file", at: directory + "/link")
            let owner = try FileSystem.lstat(directory + "/file").uid
            try FileSystem.lchown(directory + "/link", uid: owner, gid: owner)
            #expect(try FileSystem.lstat(directory + "/link").uid == owner)
        }
    }

    @Test func manyEntriesTakeSeveralGetdentsCalls() throws {
        try withScratchDirectory { directory in
            let names = (0..<1500).map { "file-with-a-long-name-\($0)" }
            for name in names { try FileSystem.writeFile(directory + "/" + name, []) }
            #expect(try FileSystem.listDirectory(directory) == names.sorted())
        }
    }

    @Test func statFollowsLinksAndLstatDoesNot() throws {
        try withScratchDirectory { directory in
            try FileSystem.symlink("sub", at: directory + "/link")
            try FileSystem.mkdir(directory + "/sub")
            #expect(try FileSystem.stat(directory + "/link").type == .directory)
            let link = try FileSystem.lstat(directory + "/link")
            #expect(link.type == .symlink)
            #expect(link.modeString == "lrwxrwxrwx")
            #expect(link.size == 3)
        }
    }

    @Test func removeTreeDoesNotFollowSymlinks() throws {
        try withScratchDirectory { directory in
            try FileSystem.mkdir(directory + "/keep")
            try FileSystem.writeFile(directory + "/keep/precious", bytes("x"))
            try FileSystem.mkdir(directory + "/tree")
            try FileSystem.mkdir(directory + "/tree/deep")
            try FileSystem.writeFile(directory + "/tree/deep/file", bytes("y"))
            try FileSystem.symlink(directory + "/keep", at: directory + "/tree/link")
            try FileSystem.removeTree(directory + "/tree/")
            #expect(try FileSystem.listDirectory(directory) == ["keep"])
            #expect(try FileSystem.listDirectory(directory + "/keep") == ["precious"])
        }
    }

    @Test func extendedAttributes() throws {
        try withScratchDirectory { directory in
            let path = directory + "/f"
            try FileSystem.writeFile(path, [])
            try FileSystem.setxattr(path, "user.one", bytes("1"))
            try FileSystem.setxattr(path, "user.empty", [])
            try FileSystem.setxattr(path, "user.binary", [0, 1, 255])
            #expect(try FileSystem.getxattr(path, "user.empty") == [])
            #expect(try FileSystem.getxattr(path, "user.binary") == [0, 1, 255])
            #expect(Set(try FileSystem.listxattr(path)).isSuperset(of: ["user.one", "user.empty", "user.binary"]))
        }
    }

    @Test func errorsCarryTheErrno() throws {
        try withScratchDirectory { directory in
            try FileSystem.mkdir(directory + "/d")
            try FileSystem.writeFile(directory + "/d/f", [])
            #expect(throws: KernelError(call: "rmdir", arguments: ["\"\(directory)/d\""], errno: .ENOTEMPTY)) {
                try FileSystem.rmdir(directory + "/d")
            }
            #expect(throws: KernelError(call: "mkdir", arguments: ["\"\(directory)/d\"", "0755"], errno: .EEXIST)) {
                try FileSystem.mkdir(directory + "/d")
            }
            let error = try #require(throws: KernelError.self) { try FileSystem.readFile(directory + "/d") }
            #expect(error.call == "read")
            #expect(error.errno == .EISDIR)
            #expect(throws: KernelError.self) { try FileSystem.chdir(directory + "/d/f") }
        }
    }
}

@Suite struct BeneathTests {
    /// The escapes are symlinks and names inside the scratch directory pointing at its own
    /// sibling: nothing outside the test's directory is named, let alone touched.
    @Test func walksThatLeaveTheRootFailWithEXDEV() throws {
        try withScratchDirectory { directory in
            let root = directory + "/root"
            try FileSystem.mkdir(root, mode: 0o755)
            try FileSystem.mkdir(directory + "/outside", mode: 0o755)
            try FileSystem.mkdir(root + "/inside", mode: 0o755)
            try FileSystem.symlink("../outside", at: root + "/out")
            try FileSystem.symlink(directory + "/outside", at: root + "/absolute")
            try FileSystem.symlink("inside", at: root + "/in")
            try FileSystem.walkBeneath(root, "inside", followingLast: true)
            try FileSystem.walkBeneath(root, "in", followingLast: true)
            try FileSystem.walkBeneath(root, "inside/../inside", followingLast: true)
            try FileSystem.walkBeneath(root, "out", followingLast: false)
            for escape in ["..", "../outside", "out", "out/x", "absolute", "inside/../../outside", directory + "/outside"] {
                let error = #expect(throws: KernelError.self) { try FileSystem.walkBeneath(root, escape, followingLast: true) }
                #expect(error?.errno == .EXDEV, "\(escape)")
            }
            let missing = #expect(throws: KernelError.self) { try FileSystem.walkBeneath(root, "missing/x", followingLast: true) }
            #expect(missing?.errno == .ENOENT)
        }
    }
}

@Suite(.enabled(if: getuid() == 0, "needs root: owners change")) struct OpenDirectoryTests {
    /// Every link aims at a sibling of `root` inside the scratch directory.
    @Test func openingBelowRefusesSymbolicLinksClimbingAndFiles() throws {
        try withScratchDirectory { directory in
            let root = directory + "/root"
            try FileSystem.mkdir(root)
            try FileSystem.mkdir(directory + "/outside")
            try FileSystem.mkdir(root + "/sub")
            try FileSystem.mkdir(root + "/sub/deep")
            try FileSystem.writeFile(root + "/file", [])
            try FileSystem.symlink("sub", at: root + "/inside")
            try FileSystem.symlink("../outside", at: root + "/out")
            let top = try OpenDirectory.open(root)
            defer { try? top.close() }
            let deep = try top.openDirectory("sub/deep")
            try deep.close()
            // A link as the last component is not a directory to O_DIRECTORY | O_NOFOLLOW.
            for (path, errno) in [
                ("inside", Errno.ENOTDIR), ("inside/deep", Errno(ELOOP)), ("out", Errno.ENOTDIR), ("out/x", Errno(ELOOP)),
                ("..", Errno.EXDEV), ("sub/../../outside", Errno.EXDEV), (directory + "/outside", Errno.EXDEV),
                ("file", Errno.ENOTDIR), ("missing", Errno.ENOENT),
            ] {
                let error = #expect(throws: KernelError.self) { try top.openDirectory(path) }
                #expect(error?.call == "openat2" && error?.errno == errno, "\(path)")
            }
        }
    }

    @Test func namesAreMadeInTheDirectoryHeldOpen() throws {
        try withScratchDirectory { directory in
            let top = try OpenDirectory.open(directory)
            defer { try? top.close() }
            try FileSystem.mkdir("d", in: top, mode: 0o700)
            try FileSystem.createFile("f", in: top, bytes("one\n"), mode: 0o600)
            try FileSystem.symlink("f", at: "l", in: top)
            try FileSystem.link("f", in: top, at: "h", in: top)
            try FileSystem.mknod("p", in: top, type: .fifo, permissions: 0o600, device: DeviceNumber(major: 0, minor: 0))
            try FileSystem.lchown("f", in: top, uid: 7, gid: 8)
            try FileSystem.chmod("f", in: top, permissions: 0o4750)
            try FileSystem.setxattr(top, "user.marked", bytes("y"))
            #expect(try FileSystem.readFile(directory + "/h") == bytes("one\n"))
            let file = try FileSystem.lstat("h", in: top)
            #expect(file.type == .regular && file.links == 2 && file.uid == 7 && file.gid == 8 && file.modeString == "-rwsr-x---")
            #expect(try FileSystem.lstat("l", in: top).type == .symlink)
            #expect(try FileSystem.lstat("p", in: top).type == .fifo)
            #expect(try FileSystem.lstat("d", in: top).modeString == "drwx------")
            #expect(try FileSystem.getxattr(directory, "user.marked") == bytes("y"))
            #expect(try FileSystem.listDirectory(directory) == ["d", "f", "h", "l", "p"])
            try FileSystem.unlink("h", in: top)
            try FileSystem.unlink("d", in: top, isDirectory: true)
            #expect(try FileSystem.listDirectory(directory) == ["f", "l", "p"])
        }
    }

    /// The link `l` points at a file outside; nothing done to `l` by name reaches the file.
    @Test func nothingGoesThroughASymbolicLink() throws {
        try withScratchDirectory { directory in
            try FileSystem.mkdir(directory + "/root")
            try FileSystem.mkdir(directory + "/outside")
            try FileSystem.writeFile(directory + "/outside/canary", bytes("canary\n"), mode: 0o640)
            try FileSystem.chmod(directory + "/outside/canary", permissions: 0o640)
            try FileSystem.symlink(directory + "/outside/canary", at: directory + "/root/l")
            try FileSystem.symlink(directory + "/outside", at: directory + "/root/tree")
            let top = try OpenDirectory.open(directory + "/root")
            defer { try? top.close() }
            let chmod = #expect(throws: KernelError.self) { try FileSystem.chmod("l", in: top, permissions: 0o4777) }
            #expect(chmod?.call == "fchmodat" && chmod?.errno == .EOPNOTSUPP)
            let exists = #expect(throws: KernelError.self) { try FileSystem.createFile("l", in: top, bytes("overwritten\n")) }
            #expect(exists?.errno == .EEXIST)
            try FileSystem.lchown("l", in: top, uid: 7, gid: 8)
            #expect(try FileSystem.lstat("l", in: top).uid == 7)
            try FileSystem.removeTree("tree", in: top)
            try FileSystem.removeTree("l", in: top)
            let canary = try FileSystem.lstat(directory + "/outside/canary")
            #expect(canary.permissions == 0o640 && canary.uid == 0 && canary.links == 1)
            #expect(try FileSystem.readFile(directory + "/outside/canary") == bytes("canary\n"))
            #expect(try FileSystem.listDirectory(directory + "/root").isEmpty)
        }
    }

    @Test func removeTreeEmptiesEachDirectoryFromItsParent() throws {
        try withScratchDirectory { directory in
            try FileSystem.mkdir(directory + "/tree")
            try FileSystem.mkdir(directory + "/tree/deep")
            try FileSystem.writeFile(directory + "/tree/deep/file", [])
            try FileSystem.mknod(directory + "/tree/fifo", type: .fifo, permissions: 0o600, device: DeviceNumber(major: 0, minor: 0))
            let top = try OpenDirectory.open(directory)
            defer { try? top.close() }
            try FileSystem.removeTree("tree", in: top)
            #expect(try FileSystem.listDirectory(directory).isEmpty)
        }
    }
}
