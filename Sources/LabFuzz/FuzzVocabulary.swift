import Lab

/// The words the generator builds lines from, taken from the grammar BoxLab itself knows
/// (its commands and their usage lines, the expectation forms, the lab file's keys and
/// block kinds), plus the kinds of text that break parsers.
enum FuzzVocabulary {
    static let commands = CommandSet.all.map(\.name) + ["sudo", "sh", "bash", "X=1", "NAME=$!"]

    /// Every option and keyword the usage lines show: `-m`, `--memory`, `link`, `MODE`…
    static let commandWords: [String] = unique(CommandSet.all.flatMap { tokens(of: $0.usage) }) + [
        // iproute2's sentences (`ip link add … type veth peer name …`) are read by `ip` itself.
        "link", "add", "del", "set", "show", "type", "veth", "bridge", "peer", "name", "dev", "master", "nomaster",
        "up", "down", "netns", "exec", "addr", "route", "via", "default", "mtu", "neigh", "fdb", "lo",
        "10.0.0.1/24", "10.0.0.1", "172.17.0.2/16", "::1", "fe80::1/64", "memory:demo", "pids,memory:x",
        "lowerdir=lower,upperdir=upper,workdir=work", "overlay", "tmpfs", "proc", "--bind", "--make-private",
    ]

    static let expectationKeywords = unique(ExpectationParser.forms.compactMap { $0.split(separator: " ").first.map(String.init) })
        + ["not", "no", "still"]

    static let expectationWords = unique(ExpectationParser.forms.flatMap { tokens(of: $0) }) + [
        "==", "!=", ">=", "<", "contains", "has", "in", "on", "from", "via", "dev", "fstype=overlay", "propagation=shared",
        "propagation=bogus", "memory.events", "max", "oom_kill", "32M", "10000/100000", "max/100000", "/", "//",
        "kind=veth", "mtu=1500", "mtu=", "peer=red:veth0", "host", "127.0.0.1:80", "1.2.3.4:99999",
    ]

    static let frontMatterKeys = LabParser.frontMatterKeys + ["titel", "author", "require", ""]
    static let requirements = LabRequirement.allCases.map(\.rawValue) + ["warpdrive", "cgroup", "", "root overlay"]
    static let blockInfos = BlockKind.allCases.map(\.rawValue)
        + BlockCondition.allCases.map { "run \($0.rawValue)" }
        + ["console", "", "text", "rnu", "expcet", "run cgroup-v3", "sh -e", "run run"]

    static let variables = ["$memory", "$pids", "$cpu", "$freezer", "$cgroup", "$!", "${memory}", "$UNSET", "$", "${", "${}", "${x",
                            "$1", "$$", "$?", "$c1", "${memory}/x"]

    /// What shells, getopt and number parsers trip on.
    static let hostile = [
        ">", ">>", "<", "2>", "&>", "|", "||", "&&", ";", "&", "$(ls)", "`ls`", "*", "?", "~", "#", "\\", "'", "\"", "'\"'",
        "-", "--", "---", "--=", "-=", "=", "==", "--memory=", "-m", "--x=y", "-9", "-KILL", "-0",
        "0", "-1", "+1", "1e400", "nan", "inf", "-inf", "0x", "0x1F", "077", "08", "1ß", "99999999999999999999",
        "99999999999999999999G", "18446744073709551616", "9223372036854775808", "-9223372036854775809", "1.5", "0.001",
        "%", "%%", "%5s", "%-5d", "%05d", "%*d", "%.3s", "%q", "%99999999999s", "%ls", "\\x", "\\u12", "\\0777", "\\c",
        "/", "..", "../..", "/etc/passwd", "a/../../b", "\u{0}", "\t", "\r", "\u{FEFF}", "é", "e\u{301}", "ß", "İ", "ﬃ",
        "🧪", "👩‍👩‍👧", "\u{202E}", "\u{200B}", "日本語", "\u{7F}", "\u{1B}[31m", "\u{D7FF}", "\u{10FFFF}",
    ]

    /// A usage or form line's words without the brackets, bars and ellipses that describe them.
    private static func tokens(of text: String) -> [String] {
        text.split(whereSeparator: { " []|".contains($0) }).map { String($0).replacing("...", with: "") }.filter { !$0.isEmpty }
    }

    private static func unique(_ words: [String]) -> [String] {
        var seen = Set<String>()
        return words.filter { seen.insert($0).inserted }
    }
}
