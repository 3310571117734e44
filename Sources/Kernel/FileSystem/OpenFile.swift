#if canImport(Glibc)
import Glibc
#endif
import CBoxLab

/// A file descriptor BoxLab opened and must close.
struct OpenFile {
    var descriptor: FileDescriptor

    /// Opens `path`, creating it with `mode` when `flags` has `O_CREAT`.
    ///
    /// glibc's `open` is the kernel's `openat(AT_FDCWD, …)`, which is the name the trace shows.
    ///
    /// The corresponding C function is `open`.
    static func open(_ path: String, _ flags: Int32, mode: UInt32? = nil) throws(KernelError) -> OpenFile {
        let descriptor = try syscall(
            "openat", ["AT_FDCWD", tracePath(path), traceOpenFlags(flags)] + (mode.map { [traceOctal($0)] } ?? [])
        ) {
            Glibc.open(path, flags, mode ?? 0)
        }
        return OpenFile(descriptor: FileDescriptor(rawValue: descriptor))
    }

    /// Opens `path` relative to the open directory `directory`, walked as `resolve` allows:
    /// with `.beneath` the kernel refuses (EXDEV) a name that leaves the directory through
    /// `..`, an absolute path or a symlink, however it is spelled.
    ///
    /// The corresponding C function is `openat2`.
    static func open(
        _ path: String, in directory: OpenFile, _ flags: Int32, mode: UInt32 = 0, resolve: ResolveFlags
    ) throws(KernelError) -> OpenFile {
        let how = "{flags=\(traceOpenFlags(flags))" + (flags & O_CREAT != 0 ? ", mode=\(traceOctal(mode))" : "")
            + ", resolve=\(traceFlags(resolve.rawValue, ResolveFlags.names))}"
        let descriptor = try syscall("openat2", ["\(directory.descriptor)", tracePath(path), how, "24"]) {
            boxlab_openat2(directory.descriptor.rawValue, path, flags, mode, resolve.rawValue)
        }
        return OpenFile(descriptor: FileDescriptor(rawValue: descriptor))
    }

    /// Reads up to `count` bytes; an empty result is the end of the file.
    ///
    /// The corresponding C function is `read`.
    func read(upTo count: Int) throws(KernelError) -> [UInt8] {
        var bytes: [UInt8]?
        try syscall("read", ["\(descriptor)", bytes.map { traceQuote($0) } ?? "0x…", "\(count)"]) {
            var result = 0
            // Not zeroed first: the kernel writes what it reads, and pages it does not reach
            // are never touched (a 64 KiB buffer for a 2 KiB file was 16 page faults).
            let read = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
                result = Glibc.read(descriptor.rawValue, buffer.baseAddress, count)
                initialized = max(result, 0)
            }
            if result >= 0 { bytes = read }
            return result
        }
        return bytes!
    }

    /// Writes all of `bytes`, one `write` per partial write.
    ///
    /// The corresponding C function is `write`.
    func write(_ bytes: [UInt8]) throws(KernelError) {
        var offset = 0
        while offset < bytes.count {
            let rest = bytes[offset...]
            offset += try syscall("write", ["\(descriptor)", traceQuote(Array(rest)), "\(rest.count)"]) {
                rest.withUnsafeBytes { Glibc.write(descriptor.rawValue, $0.baseAddress, $0.count) }
            }
        }
    }

    /// The names of the next entries of an open directory, `.` and `..` included; empty at the end.
    ///
    /// The corresponding C function is `getdents64`.
    func directoryEntries() throws(KernelError) -> [String] {
        let size = 32768
        var buffer = [UInt8](repeating: 0, count: size)
        var names: [String]?
        try syscall("getdents64", [
            "\(descriptor)", names.map { "0x… /* \($0.count) entries */" } ?? "0x…", "\(size)",
        ]) {
            buffer.withUnsafeMutableBytes { raw in
                let result = boxlab_getdents64(descriptor.rawValue, raw.baseAddress, size)
                if result >= 0 { names = Self.names(in: UnsafeRawBufferPointer(rebasing: raw[..<result])) }
                return result
            }
        }
        return names!
    }

    /// The status of the open file's inode.
    ///
    /// The corresponding C function is `fstat`.
    func status() throws(KernelError) -> FileStatus {
        var status: FileStatus?
        try syscall("fstat", ["\(descriptor)", status?.traceDescription ?? "0x…"]) {
            var buffer = Glibc.stat()
            let result = Glibc.fstat(descriptor.rawValue, &buffer)
            if result == 0 { status = FileStatus(buffer) }
            return result
        }
        return status!
    }

    /// Closes the descriptor.
    ///
    /// The corresponding C function is `close`.
    consuming func close() throws(KernelError) {
        try descriptor.close()
    }

    /// Walks `struct linux_dirent64` records: inode (8 bytes), offset (8), record length (2),
    /// type (1), then the NUL-terminated name.
    private static func names(in records: UnsafeRawBufferPointer) -> [String] {
        var names: [String] = []
        var offset = 0
        while offset < records.count {
            let length = Int(records.loadUnaligned(fromByteOffset: offset + 16, as: UInt16.self))
            let name = records[(offset + 19)..<(offset + length)].prefix { $0 != 0 }
            names.append(String(decoding: name, as: UTF8.self))
            offset += length
        }
        return names
    }
}

/// Open flags as strace prints them, `O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC`.
func traceOpenFlags(_ flags: Int32) -> String {
    let access = switch flags & O_ACCMODE {
    case O_WRONLY: "O_WRONLY"
    case O_RDWR: "O_RDWR"
    default: "O_RDONLY"
    }
    let rest = traceFlags(UInt64(UInt32(bitPattern: flags & ~O_ACCMODE)), openFlagNames)
    return rest == "0" ? access : access + "|" + rest
}

/// In the order strace prints them.
private let openFlagNames: [(bits: UInt64, name: String)] = [
    (O_CREAT, "O_CREAT"), (O_EXCL, "O_EXCL"), (O_NOCTTY, "O_NOCTTY"), (O_TRUNC, "O_TRUNC"), (O_APPEND, "O_APPEND"),
    (O_NONBLOCK, "O_NONBLOCK"), (O_CLOEXEC, "O_CLOEXEC"), (O_DIRECTORY, "O_DIRECTORY"), (O_NOFOLLOW, "O_NOFOLLOW"), (O_PATH, "O_PATH"),
].map { (UInt64($0.0), $0.1) }
