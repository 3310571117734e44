/// mount(8)'s `-o` option list split into mount(2) flags and the filesystem's own data string,
/// and put back together.
public struct MountOptions: Sendable, Equatable {
    public var flags: MountFlags
    /// The options mount(8) does not know, in order, e.g. `["lowerdir=a:b", "upperdir=u", "workdir=w"]`.
    public var data: [String]

    public init(flags: MountFlags = [], data: [String] = []) {
        self.flags = flags
        self.data = data
    }

    /// Splits an option list such as `ro,nosuid,lowerdir=a,upperdir=b`. A comma escaped with a
    /// backslash (overlayfs's `lowerdir=a\,b`) or inside double quotes does not split.
    /// Options only fstab gives meaning to (`noauto`, `nofail`, `user`, `x-*`, …) are dropped,
    /// as mount(8) drops them.
    public static func parse(_ options: String) -> MountOptions {
        var result = MountOptions()
        for item in split(options) where !isUserspaceOnly(item) {
            if let word = words.first(where: { $0.word == item }) {
                result.flags.subtract(word.clear)
                result.flags.formUnion(word.set)
            } else {
                result.data.append(item)
            }
        }
        return result
    }

    /// The data items joined with commas, as mount(2) takes them; nil when there are none.
    public var dataString: String? { data.isEmpty ? nil : data.joined(separator: ",") }

    /// The option list mount(8) takes for these flags and data, `ro,nosuid,lowerdir=a`;
    /// `defaults` when there is nothing. Flags only the kernel sets (`MS_KERNMOUNT`, …) have no word
    /// and are left out.
    public var optionString: String {
        var rest = flags
        var items: [String] = []
        for word in Self.words where word.clear.isEmpty && !word.set.isEmpty && rest.isSuperset(of: word.set) {
            items.append(word.word)
            rest.subtract(word.set)
        }
        items += data
        return items.isEmpty ? "defaults" : items.joined(separator: ",")
    }

    /// mount(8)'s words and the flags each sets or clears. Words that set several flags come
    /// before the ones setting a part of them, so that `optionString` says `rbind`, not `bind`.
    private static let words: [(word: String, set: MountFlags, clear: MountFlags)] = [
        ("ro", .readOnly, []), ("rw", [], .readOnly),
        ("nosuid", .noSuid, []), ("suid", [], .noSuid),
        ("nodev", .noDev, []), ("dev", [], .noDev),
        ("noexec", .noExec, []), ("exec", [], .noExec),
        ("sync", .synchronous, []), ("async", [], .synchronous),
        ("remount", .remount, []),
        ("mand", .mandatoryLock, []), ("nomand", [], .mandatoryLock),
        ("dirsync", .dirSync, []),
        ("nosymfollow", .noSymFollow, []), ("symfollow", [], .noSymFollow),
        ("noatime", .noAtime, []), ("atime", [], .noAtime),
        ("nodiratime", .noDirAtime, []), ("diratime", [], .noDirAtime),
        ("rbind", [.bind, .recursive], []), ("bind", .bind, []),
        ("move", .move, []),
        ("silent", .silent, []), ("loud", [], .silent),
        ("runbindable", [.unbindable, .recursive], []), ("unbindable", .unbindable, []),
        ("rprivate", [.private, .recursive], []), ("private", .private, []),
        ("rslave", [.slave, .recursive], []), ("slave", .slave, []),
        ("rshared", [.shared, .recursive], []), ("shared", .shared, []),
        ("relatime", .relatime, []), ("norelatime", [], .relatime),
        ("iversion", .iVersion, []), ("noiversion", [], .iVersion),
        ("strictatime", .strictAtime, []), ("nostrictatime", [], .strictAtime),
        ("lazytime", .lazyTime, []), ("nolazytime", [], .lazyTime),
        ("defaults", [], []),
    ]

    private static func isUserspaceOnly(_ item: String) -> Bool {
        ["auto", "noauto", "nofail", "user", "nouser", "users", "owner", "group", "_netdev"].contains(item)
            || item.hasPrefix("x-") || item.hasPrefix("comment=")
    }

    private static func split(_ options: String) -> [String] {
        var items: [String] = []
        var current = ""
        var escaped = false
        var quoted = false
        for character in options {
            if character == "," && !escaped && !quoted {
                items.append(current)
                current = ""
                continue
            }
            if character == "\"" && !escaped { quoted.toggle() }
            escaped = character == "\\" && !escaped
            current.append(character)
        }
        items.append(current)
        return items.filter { !$0.isEmpty }
    }
}
