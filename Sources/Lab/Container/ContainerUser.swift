import Kernel

/// `--user USER[:GROUP]` (docker run -u): who the container's program runs as. Numbers are
/// taken as they are; names are looked up in the image's /etc/passwd and /etc/group, as
/// runc's user package reads the container's own files.
struct ContainerUser: Sendable, Equatable {
    enum ID: Sendable, Equatable {
        case number(UInt32)
        case name(String)

        init(_ text: Substring) {
            self = UInt32(text).map(ID.number) ?? .name(String(text))
        }
    }

    var user: ID
    /// nil: the user's own group in /etc/passwd, or 0 for a uid the image does not name (Docker's).
    var group: ID?

    /// The ids the program gets, once the names are looked up.
    struct IDs: Sendable, Equatable {
        var uid: UInt32
        var gid: UInt32
    }

    static let rule = "--user UID[:GID] in numbers (1000:1000), or a user (and group) the image's /etc/passwd (and /etc/group) names"

    init(_ text: String) throws(CommandError) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && !$0.contains(where: \.isWhitespace) }) else {
            throw CommandError(message: "container run: bad --user '\(text)'", cause: Self.rule)
        }
        user = ID(parts[0])
        group = parts.count == 2 ? ID(parts[1]) : nil
    }

    /// The ids, names found with `read` (the text of one of the image's files, nil where it has none).
    func resolve(_ read: (String) -> String?) throws(CommandError) -> IDs {
        let passwd = Self.entries(read("/etc/passwd"))
        let uid: UInt32
        let entry: [Substring]?
        switch user {
        case let .number(number):
            uid = number
            entry = passwd.first { UInt32($0[2]) == number }
        case let .name(name):
            guard let found = passwd.first(where: { $0[0] == name }), let number = UInt32(found[2]) else {
                throw CommandError(message: "container run: no user '\(name)' in the image's /etc/passwd", cause: Self.rule)
            }
            (uid, entry) = (number, found)
        }
        switch group {
        case let .number(gid)?: return IDs(uid: uid, gid: gid)
        case let .name(name)?:
            guard let gid = Self.entries(read("/etc/group")).first(where: { $0[0] == name }).flatMap({ UInt32($0[2]) }) else {
                throw CommandError(message: "container run: no group '\(name)' in the image's /etc/group", cause: Self.rule)
            }
            return IDs(uid: uid, gid: gid)
        case nil: return IDs(uid: uid, gid: entry.flatMap { UInt32($0[3]) } ?? 0)
        }
    }

    /// The lines of /etc/passwd or /etc/group, split at ':', those with at least four fields.
    private static func entries(_ text: String?) -> [[Substring]] {
        (text ?? "").split(separator: "\n").map { $0.split(separator: ":", omittingEmptySubsequences: false) }.filter { $0.count >= 4 }
    }
}
