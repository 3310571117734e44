/// The names a resolver answers, read from its records file: one `NAME ADDRESS [PID:START]` a
/// line (a name may have several lines, one per address), `#` comments and blank lines
/// ignored. PID:START names the process that holds the address (its pid and start time, field
/// 22 of /proc/PID/stat): once it has ended the record is not answered, as Docker drops a
/// stopped container's name, though no one rewrote the file.
public struct DNSRecords: Sendable, Equatable {
    /// The process a record lives as long as.
    public struct Holder: Sendable, Equatable {
        public var pid: Int32
        public var startTime: UInt64

        public init(pid: Int32, startTime: UInt64) {
            self.pid = pid
            self.startTime = startTime
        }
    }

    struct Entry: Sendable, Equatable {
        var address: IPAddress
        var holder: Holder?
    }

    /// Entries by lower-cased name, in the file's order.
    private var entries: [DNSName: [Entry]] = [:]
    /// `records:3: 'db' has no address`: lines that were skipped, and why.
    public private(set) var problems: [String] = []

    public init() {}

    public init(parsing text: String, file: String = "records") {
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let content = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let words = content.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            if words.isEmpty { continue }
            let holder = words.count == 3 ? Self.holder(words[2]) : nil
            guard words.count == 2 || (words.count == 3 && holder != nil), let name = DNSName(String(words[0])), !name.labels.isEmpty,
                  let address = IPAddress(String(words[1])), address.family == .inet else {
                problems.append("\(file):\(index + 1): expected NAME IPV4-ADDRESS [PID:START-TIME], got '\(content)'")
                continue
            }
            entries[name.lowercased, default: []].append(Entry(address: address, holder: holder))
        }
    }

    private static func holder(_ word: Substring) -> Holder? {
        let parts = word.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let pid = Int32(parts[0]), pid > 0, let startTime = UInt64(parts[1]) else { return nil }
        return Holder(pid: pid, startTime: startTime)
    }

    /// The addresses of `name`, case-insensitively, whose holder `isLive` says runs; nil when
    /// none is left, as for a name not known at all.
    public func lookup(_ name: DNSName, isLive: (Holder) -> Bool = { _ in true }) -> [IPAddress]? {
        let live = (entries[name.lowercased] ?? []).filter { $0.holder.map(isLive) ?? true }.map(\.address)
        return live.isEmpty ? nil : live
    }
}
