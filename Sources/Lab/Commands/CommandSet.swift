/// The commands BoxLab performs itself, by name.
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
}
