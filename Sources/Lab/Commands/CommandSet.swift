/// The commands BoxLab performs itself, by name: the one registry of the command language.
///
/// Everything BoxLab decides about a command lives on its own `Command` value: its usage
/// and summary (what `help` and usage errors show), its options, whether it has a form that
/// runs in the process being set up (`runsInChild`), whether it starts a program and so takes
/// `&` (`startsPrograms`, or the line it performs in turn, `innerLine`). Nothing elsewhere
/// names a command by its string to decide one of those.
///
/// A new command is added by:
/// 1. one file named for it (Touch.swift for `touch`) with its `static let` in an
///    `extension Command`, setting those properties in its own definition;
/// 2. its name in `all` below, the only other place that names it (its place in `all` is
///    its place in `help`);
/// 3. its tests (LabTests for parsing and refusals; CommandSetTests checks the registry).
public enum CommandSet {
    public static let all: [Command] = [
        .cd, .pwd, .mkdir, .rmdir, .rm, .touch, .echo, .printf, .cat, .ls, .stat, .chown,
        .mount, .umount, .mknod, .getfattr, .setfattr,
        .ip, .bridge, .ping, .dig, .capture, .flannel, .sysctl, .iptables, .nft, .conntrack,
        .unshare, .setpriv, .nsenter, .cgexec, .wait, .hostname, .lsns, .readlink, .ln, .kill, .sleep,
        .clone, .pivotRoot, .chroot, .exec, .caps, .uidmap, .gidmap, .setgroups, .seccomp, .image, .container, .network,
    ]

    public static let byName: [String: Command] = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })

    /// Commands learners may type that are deliberately not BoxLab's, with what to use instead.
    static let redirects: [String: String] = [
        "sudo": "BoxLab already runs as root; drop sudo",
        "bash": "use an sh block, or `boxlab shell` beside the REPL",
        "sh": "use an sh block, or `boxlab shell` beside the REPL",
    ]

    /// Whether `words` start a program that may end with `&`: a command that `startsPrograms`,
    /// or one whose `innerLine` does (`ip netns exec NS PROGRAM` starts PROGRAM unless it is
    /// one of BoxLab's own commands that does not start programs).
    static func startsProgram(_ words: [String]) -> Bool {
        guard let name = words.first, let command = byName[name] else { return false }
        guard !command.startsPrograms, let inner = command.innerLine?(Array(words.dropFirst())), let program = inner.first else { return command.startsPrograms }
        return byName[program] == nil || startsProgram(inner)
    }
}
