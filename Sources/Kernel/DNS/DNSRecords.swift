/// The names a resolver answers, read from its records file: one `NAME ADDRESS` a line (a
/// name may have several lines, one per address), `#` comments and blank lines ignored.
public struct DNSRecords: Sendable, Equatable {
    /// Addresses by lower-cased name, in the file's order.
    public private(set) var addresses: [DNSName: [IPAddress]] = [:]
    /// `records:3: 'db' has no address`: lines that were skipped, and why.
    public private(set) var problems: [String] = []

    public init() {}

    public init(parsing text: String, file: String = "records") {
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let content = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let words = content.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            if words.isEmpty { continue }
            guard words.count == 2, let name = DNSName(String(words[0])), !name.labels.isEmpty,
                  let address = IPAddress(String(words[1])), address.family == .inet else {
                problems.append("\(file):\(index + 1): expected NAME IPV4-ADDRESS, got '\(content)'")
                continue
            }
            addresses[name.lowercased, default: []].append(address)
        }
    }

    /// The addresses of `name`, case-insensitively; nil when the name is not known at all.
    public func lookup(_ name: DNSName) -> [IPAddress]? {
        addresses[name.lowercased]
    }
}
