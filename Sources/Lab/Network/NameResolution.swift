import Kernel

/// The two files a libc stub resolver reads before asking anyone, as glibc reads them.
enum NameResolution {
    /// The IPv4 addresses /etc/hosts gives `name` (`ADDRESS NAME ALIAS…` lines, `#`
    /// comments), case-insensitively and in the file's order; a trailing dot is ignored.
    static func hosts(_ text: String, name: String) -> [IPAddress] {
        let wanted = (name.hasSuffix(".") ? String(name.dropLast()) : name).lowercased()
        return ipv4Hosts(text).compactMap { $0.names.contains { $0.lowercased() == wanted } ? $0.address : nil }
    }

    /// The names /etc/hosts gives IPv4 addresses, in the file's order: what a lookup there can find.
    static func ipv4Names(_ text: String) -> [String] { ipv4Hosts(text).flatMap(\.names) }

    private static func ipv4Hosts(_ text: String) -> [(address: IPAddress, names: [String])] {
        text.split(separator: "\n").compactMap { line in
            let words = (line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
                .split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard words.count >= 2, let address = IPAddress(String(words[0])), address.family == .inet else { return nil }
            return (address, words.dropFirst().map(String.init))
        }
    }

    /// The first `nameserver` of resolv.conf that is an address, which glibc asks first.
    static func firstNameserver(_ text: String) -> IPAddress? {
        for line in text.split(separator: "\n") {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if words.count >= 2, words[0] == "nameserver", let address = IPAddress(String(words[1])) { return address }
        }
        return nil
    }
}
