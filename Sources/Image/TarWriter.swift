#if canImport(Glibc)
import Glibc
#endif
import CArchive
import Kernel

/// Writes tar streams with libarchive, in the POSIX (pax) format that OCI layers use, and
/// gzip-compresses them.
///
/// Every member gets the same modification time and owner 0:0 whatever the files on disk
/// say, and gzip gets no timestamp, so the same tree gives the same bytes, and so the same
/// digest, on every run.
enum TarWriter {
    /// The modification time of every member: the epoch, as reproducible builds do.
    static let modificationTime = 0

    /// The tar stream of `entries`, in order.
    static func tar(_ entries: [TarEntry]) throws -> [UInt8] {
        try write { archive in
            try check(archive, archive_write_set_format_pax_restricted(archive))
        } body: { archive in
            for entry in entries { try write(entry, to: archive) }
        }
    }

    /// `bytes` compressed with gzip, with no timestamp or file name in its header.
    static func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
        try write { archive in
            try check(archive, archive_write_set_format_raw(archive))
            try check(archive, archive_write_add_filter_gzip(archive))
            try check(archive, archive_write_set_filter_option(archive, "gzip", "timestamp", nil))
            // Padding is for tape blocks; a gzip member ends where its data does.
            try check(archive, archive_write_set_bytes_in_last_block(archive, 1))
        } body: { archive in
            let entry = archive_entry_new()
            defer { archive_entry_free(entry) }
            archive_entry_set_filetype(entry, UInt32(Glibc.S_IFREG))
            archive_entry_set_size(entry, Int64(bytes.count))
            try check(archive, archive_write_header(archive, entry))
            try writeData(bytes, to: archive)
        }
    }

    private static func write(
        configure: (OpaquePointer) throws -> Void,
        body: (OpaquePointer) throws -> Void
    ) throws -> [UInt8] {
        guard let archive = archive_write_new() else { throw ImageError.tar("libarchive could not allocate a writer") }
        defer { archive_write_free(archive) }
        try configure(archive)
        let sink = Sink()
        let opened = archive_write_open2(archive, Unmanaged.passUnretained(sink).toOpaque(), nil, { _, context, buffer, length in
            let sink = Unmanaged<Sink>.fromOpaque(context!).takeUnretainedValue()
            sink.bytes.append(contentsOf: UnsafeRawBufferPointer(start: buffer, count: length))
            return length
        }, nil, nil)
        try check(archive, opened)
        try body(archive)
        // Closing flushes the last block and the compressor.
        try check(archive, archive_write_close(archive))
        return withExtendedLifetime(sink) { sink.bytes }
    }

    private static func write(_ entry: TarEntry, to archive: OpaquePointer) throws {
        let header = archive_entry_new()
        defer { archive_entry_free(header) }
        archive_entry_set_pathname(header, entry.path)
        archive_entry_set_filetype(header, entry.typeBits)
        archive_entry_set_perm(header, entry.permissions)
        archive_entry_set_uid(header, Int64(entry.uid))
        archive_entry_set_gid(header, Int64(entry.gid))
        archive_entry_set_mtime(header, modificationTime, 0)
        var data: [UInt8] = []
        switch entry.content {
        case .file(let bytes):
            data = bytes
            archive_entry_set_size(header, Int64(bytes.count))
        case .symlink(let target):
            archive_entry_set_symlink(header, target)
        case .hardlink(let target):
            archive_entry_set_hardlink(header, target)
        case .device(_, let device):
            archive_entry_set_rdevmajor(header, UInt(device.major))
            archive_entry_set_rdevminor(header, UInt(device.minor))
        case .directory, .fifo:
            break
        }
        try check(archive, archive_write_header(archive, header))
        try writeData(data, to: archive)
    }

    private static func writeData(_ bytes: [UInt8], to archive: OpaquePointer) throws {
        guard !bytes.isEmpty else { return }
        let written = bytes.withUnsafeBytes { archive_write_data(archive, $0.baseAddress, $0.count) }
        if written < 0 { throw ImageError.tar(errorMessage(archive)) }
    }

    private static func check(_ archive: OpaquePointer, _ status: Int32) throws {
        if status < ARCHIVE_OK { throw ImageError.tar(errorMessage(archive)) }
    }

    /// Collects what libarchive writes; a class so that the C callback can reach it by pointer.
    private final class Sink {
        var bytes: [UInt8] = []
    }
}

/// libarchive's description of its last error.
func errorMessage(_ archive: OpaquePointer) -> String {
    archive_error_string(archive).map { String(cString: $0) } ?? "libarchive error \(archive_errno(archive))"
}
