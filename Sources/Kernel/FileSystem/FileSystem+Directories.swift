#if canImport(Glibc)
import Glibc
#endif

extension FileSystem {
    /// Creates a directory; the process umask clears bits of `mode`.
    ///
    /// The corresponding C function is `mkdir`.
    public static func mkdir(_ path: String, mode: UInt32 = 0o755) throws(KernelError) {
        try syscall("mkdir", [tracePath(path), traceOctal(mode)]) { Glibc.mkdir(path, mode) }
    }

    /// Removes an empty directory.
    ///
    /// The corresponding C function is `rmdir`.
    public static func rmdir(_ path: String) throws(KernelError) {
        try syscall("rmdir", [tracePath(path)]) { Glibc.rmdir(path) }
    }

    /// Changes the working directory of the whole process (all threads share it).
    ///
    /// The corresponding C function is `chdir`.
    public static func chdir(_ path: String) throws(KernelError) {
        try syscall("chdir", [tracePath(path)]) { Glibc.chdir(path) }
    }

    /// The names in a directory, sorted, without `.` and `..`.
    ///
    /// The corresponding C functions are `open`, `getdents64` and `close`.
    public static func listDirectory(_ path: String) throws(KernelError) -> [String] {
        let directory = try OpenDirectory.open(path)
        // Nothing was written through the descriptor, so a failing close loses nothing.
        defer { try? directory.close() }
        return try directory.names().sorted()
    }

    /// Removes `path` and everything below it, as `rm -r` does: symbolic links are removed,
    /// never followed.
    ///
    /// The corresponding C functions are `lstat`, `unlink` and `rmdir`.
    public static func removeTree(_ path: String) throws(KernelError) {
        guard try lstat(path).type == .directory else { return try unlink(path) }
        let directory = path.hasSuffix("/") ? path : path + "/"
        for name in try listDirectory(path) {
            try removeTree(directory + name)
        }
        try rmdir(path)
    }

    /// Creates the directory `name` in `directory`; the process umask clears bits of `mode`.
    ///
    /// The corresponding C function is `mkdirat`.
    public static func mkdir(_ name: String, in directory: OpenDirectory, mode: UInt32 = 0o755) throws(KernelError) {
        try syscall("mkdirat", ["\(directory.descriptor)", tracePath(name), traceOctal(mode)]) {
            Glibc.mkdirat(directory.descriptor.rawValue, name, mode)
        }
    }

    /// Removes `name` in `directory` and everything below it, each directory opened from its
    /// parent's descriptor without following a symbolic link, so nothing outside is reached
    /// whatever the tree holds. However deep the tree, no more than `maximumDepth`
    /// descriptors are open: a directory deeper than that is first moved (renamed, within the
    /// tree's own filesystem) up into the tree's top directory and removed from there.
    ///
    /// The corresponding C functions are `fstatat`, `openat2`, `getdents64`, `renameat2`, `unlinkat` and `close`.
    public static func removeTree(_ name: String, in directory: OpenDirectory, maximumDepth: Int = 64) throws(KernelError) {
        guard try lstat(name, in: directory).type == .directory else { return try unlink(name, in: directory) }
        var moved = 0
        // Each pass removes what it can reach and moves up what lies deeper; the moved trees
        // are shallower by `maximumDepth` levels, so the passes end. A pass opens the top
        // afresh: a directory descriptor lists its entries once.
        while try emptyPass(name, in: directory, maximumDepth: max(maximumDepth, 2), moved: &moved) {}
        try unlink(name, in: directory, isDirectory: true)
    }

    /// One pass of `removeTree(_:in:maximumDepth:)` over the top directory `name`; false
    /// when it was empty.
    private static func emptyPass(_ name: String, in directory: OpenDirectory, maximumDepth: Int, moved: inout Int) throws(KernelError) -> Bool {
        let top = try directory.openDirectory(name)
        // Only names were removed or moved through the descriptor, so a failing close loses nothing.
        defer { try? top.close() }
        let entries = try top.names()
        for entry in entries {
            try removeEntry(entry, in: top, top: top, depth: 1, maximumDepth: maximumDepth, moved: &moved)
        }
        return !entries.isEmpty
    }

    private static func removeEntry(_ name: String, in directory: OpenDirectory, top: OpenDirectory, depth: Int, maximumDepth: Int, moved: inout Int) throws(KernelError) {
        guard try lstat(name, in: directory).type == .directory else { return try unlink(name, in: directory) }
        if depth >= maximumDepth {
            while true {
                moved += 1
                do {
                    return try rename(name, in: directory, to: ".boxlab-removing-\(moved)", in: top)
                } catch where error.errno == .EEXIST {
                    continue
                }
            }
        }
        let child = try directory.openDirectory(name)
        // Only names were removed or moved through the descriptor, so a failing close loses nothing.
        defer { try? child.close() }
        for entry in try child.names() {
            try removeEntry(entry, in: child, top: top, depth: depth + 1, maximumDepth: maximumDepth, moved: &moved)
        }
        try unlink(name, in: directory, isDirectory: true)
    }

    /// Creates a new directory, mode 0700, named `prefix` followed by six random characters,
    /// and returns its path: a name no other process can have taken.
    ///
    /// The corresponding C function is `mkdtemp`.
    public static func makeTemporaryDirectory(prefix: String) throws(KernelError) -> String {
        var template = Array((prefix + "XXXXXX").utf8CString)
        func name() -> String { String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self) }
        // mkdtemp makes its directory with mkdir(2), the call the trace shows, with the name it chose.
        _ = try syscall("mkdir", [tracePath(name()), "0700"]) {
            template.withUnsafeMutableBufferPointer { Glibc.mkdtemp($0.baseAddress!) }
        }
        return name()
    }
}
