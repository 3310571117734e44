#if canImport(Glibc)
import Glibc
#endif
import CArchive
import Kernel

/// Reads tar streams with libarchive, gzip-compressed or not: libarchive recognises the
/// compression from the first bytes, whatever the media type claims.
enum TarReader {
    /// The members of the tar stream in `bytes`, in order.
    static func entries(_ bytes: [UInt8]) throws -> [TarEntry] {
        try read(bytes, format: archive_read_support_format_tar) { archive, header in
            try entry(header, archive)
        }
    }

    /// `bytes` with their compression undone: the stream a layer's `diff_id` is the digest of.
    static func decompressed(_ bytes: [UInt8]) throws -> [UInt8] {
        // The raw format presents the whole stream as one member.
        try read(bytes, format: archive_read_support_format_raw) { archive, _ in try data(archive) }.first ?? []
    }

    /// `each` applied to every member in `bytes`, read in `format`.
    private static func read<Member>(
        _ bytes: [UInt8], format: (OpaquePointer) -> Int32,
        each: (OpaquePointer, OpaquePointer) throws -> Member
    ) throws -> [Member] {
        guard let archive = archive_read_new() else { throw ImageError.tar("libarchive could not allocate a reader") }
        defer { archive_read_free(archive) }
        _ = archive_read_support_filter_all(archive)
        _ = format(archive)
        // The buffer must outlive the reader's use of it, so all reading happens in here.
        return try bytes.withUnsafeBytes { buffer in
            guard archive_read_open_memory(archive, buffer.baseAddress, buffer.count) == ARCHIVE_OK else {
                throw ImageError.tar(errorMessage(archive))
            }
            var members: [Member] = []
            while true {
                var header: OpaquePointer?
                let status = archive_read_next_header(archive, &header)
                if status == ARCHIVE_EOF { return members }
                guard status >= ARCHIVE_WARN, let header else { throw ImageError.tar(errorMessage(archive)) }
                members.append(try each(archive, header))
            }
        }
    }

    private static func entry(_ header: OpaquePointer, _ archive: OpaquePointer) throws -> TarEntry {
        // tar writes directories as `etc/`; the slash says nothing the type does not.
        var path = archive_entry_pathname(header).map { String(cString: $0) } ?? ""
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        let content: TarEntry.Content
        // A hard link is a regular-file member that names another member instead of carrying data.
        if let target = archive_entry_hardlink(header) {
            content = .hardlink(target: String(cString: target))
        } else {
            let device = DeviceNumber(major: UInt32(archive_entry_rdevmajor(header)), minor: UInt32(archive_entry_rdevminor(header)))
            switch archive_entry_filetype(header) & UInt32(Glibc.S_IFMT) {
            case UInt32(Glibc.S_IFDIR): content = .directory
            case UInt32(Glibc.S_IFREG): content = .file(try data(archive))
            case UInt32(Glibc.S_IFLNK): content = .symlink(target: archive_entry_symlink(header).map { String(cString: $0) } ?? "")
            case UInt32(Glibc.S_IFCHR): content = .device(.characterDevice, device)
            case UInt32(Glibc.S_IFBLK): content = .device(.blockDevice, device)
            case UInt32(Glibc.S_IFIFO): content = .fifo
            default: throw ImageError.tar("\(path) is of a type a layer cannot hold (mode \(String(archive_entry_filetype(header), radix: 8)))")
            }
        }
        return TarEntry(
            path: path, content: content, permissions: archive_entry_perm(header) & 0o7777,
            uid: UInt32(truncatingIfNeeded: archive_entry_uid(header)),
            gid: UInt32(truncatingIfNeeded: archive_entry_gid(header))
        )
    }

    /// The data of the current member.
    private static func data(_ archive: OpaquePointer) throws -> [UInt8] {
        var data: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { archive_read_data(archive, $0.baseAddress, $0.count) }
            if count == 0 { return data }
            if count < 0 { throw ImageError.tar(errorMessage(archive)) }
            data += chunk[..<count]
        }
    }
}
