import Kernel

/// The two files a libc stub resolver reads before asking anyone, as glibc reads them.
enum NameResolution {
    /// The IPv4 addresses /etc/hosts gives `name` (`ADDRESS NAME ALIAS…` lines, `#`
    /// comments), case-insensitively and in the file's order; a trailing dot is ignored.
    static func hosts(_ text: String, name: String) -> [IPAddress] {
        let wanted = (name.hasSuffix(".") ? String(name.dropLast()) : name).lowercased()
        return text.split(separator: "\n").compactMap { line in
            let words = (line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
                .split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard words.count >= 2, let address = IPAddress(String(words[0])), address.family == .inet,
                  words.dropFirst().contains(where: { $0.lowercased() == wanted }) else { return nil }
            return address
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
