import Kernel

/// The records file, read again whenever it is replaced or changed: the launcher rewrites it
/// (write a new file, rename it over the old) as containers join and leave the network.
struct RecordsFile {
    let path: String
    private var identity: [Int64]?
    private(set) var records = DNSRecords()

    init(path: String) {
        self.path = path
    }

    /// Reads the file if its inode, size or modification time changed since the last read. A
    /// missing file holds no records; a line that is not a record is skipped with a warning.
    mutating func refresh() {
        guard let status = try? FileSystem.stat(path) else {
            identity = nil
            records = DNSRecords()
            return
        }
        let current = [Int64(bitPattern: status.inode), status.size, Int64(status.modified * 1e9)]
        guard current != identity else { return }
        identity = current
        do {
            records = DNSRecords(parsing: String(decoding: try FileSystem.readFile(path), as: UTF8.self), file: path)
            for problem in records.problems { StandardStream.error.write("boxlab-resolver: \(problem)\n") }
        } catch {
            StandardStream.error.write("boxlab-resolver: reading \(path): \(error)\n")
            records = DNSRecords()
        }
    }
}
