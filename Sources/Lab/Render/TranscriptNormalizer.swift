/// Replaces the values that differ from run to run (mount ids, inode and device numbers,
/// file descriptors, pids) so a run of a lab can be compared with its golden transcript.
/// The workspace path is already `<ws>` on screen.
public enum TranscriptNormalizer {
    private static let rules: [(pattern: String, template: String)] = [
        (#"mount \d+ "#, "mount <id> "),
        (#"Inode: \d+"#, "Inode: <ino>"),
        (#"Device: \d+,\d+"#, "Device: <dev>"),
        (#"\b\d+,\d+:\d+\b"#, "<dev>:<ino>"),
        // File descriptors depend on what the process had open (stdin closed or not).
        (#"((openat2?|socket)\(.*\) = )\d+"#, "$1<fd>"),
        (#"\b(read|write|close|getdents64|fsync|fstat|sendmsg|recvmsg|setsockopt|getsockopt|bind|connect|sendto|recvfrom|setns|ioctl)\(\d+"#, "$1(<fd>"),
        (#"(\{fd=|net_ns_fd=|cgroup=)\d+"#, "$1<fd>"),
        (#"net_ns_pid=\d+"#, "net_ns_pid=<pid>"),
        // overlayfs names its temporary files in workdir from a counter shared by every mount since boot.
        (#"work/work/#[0-9a-f]+"#, "work/work/#<n>"),
        (#"process \d+"#, "process <pid>"),
        // Random MAC addresses of new links, and round-trip times.
        (#"\b[0-9a-f]{2}(:[0-9a-f]{2}){5}\b"#, "<mac>"),
        (#"time=[0-9.]+ ms"#, "time=<t> ms"),
        (#"pid \d+"#, "pid <pid>"),
        // A DNS query's id is random (dig's header line, a traced query and its answer).
        (#"(status: [A-Z0-9]+, id: |\{id=)\d+"#, "$1<id>"),
        // Connection tracking: the ports the kernel picks for a client (the ephemeral range,
        // 32768-60999, where DNAT's "-P" also picks a published port), the seconds a flow has
        // left and its id.
        (#"(\d+\.\d+\.\d+\.\d+:|[sd]port=)(3276[89]|327[7-9]\d|32[89]\d\d|3[3-9]\d{3}|[45]\d{4}|60\d{3})\b"#, "$1<port>"),
        (#"(?m)^((?:tcp|udp|icmp) +\d+) \d+ "#, "$1 <s> "),
        // A TCP flow listed just after its client ended is somewhere in its close, depending
        // on whether the server's end has answered yet (FIN_WAIT on a busy machine, TIME_WAIT
        // on a quiet one).
        (#"(?m)(^tcp +\d+ <s> |IPCTNL_MSG_CT_NEW tcp )(?:FIN_WAIT|CLOSE_WAIT|LAST_ACK|TIME_WAIT|CLOSE)\b"#, "$1<closing>"),
        // capture's listing: a VXLAN datagram's source port is a hash of the inner flow (within
        // the same range), and ping's echo identifier is its pid.
        (#"(?m)^( +UDP +(?:\d+ > )??)(3276[89]|327[7-9]\d|32[89]\d\d|3[3-9]\d{3}|[45]\d{4}|60\d{3})\b"#, "$1<port>"),
        (#"(ICMP +echo (?:request|reply), id )\d+"#, "$1<id>"),
        // A packet socket's reads: a link also carries what nobody asked for (IPv6 router
        // solicitations, ARP), so how many frames it read, and how long each was, varies.
        (#"(recvfrom\(.*sll_family=AF_PACKET.*\) = ).*"#, "$1<frames>"),
        (#"\b(timeout=)\d+( mark=\d+ id=)\d+"#, "$1<s>$2<id>"),
        (#"\b(code=\d+ id=)\d+"#, "$1<id>"),
        // A rule's counters (in a traced dump, in nft's listing) count the traffic so far.
        (#"\bcounter packets \d+ bytes \d+"#, "counter packets <n> bytes <n>"),
        // The kernel's netlink replies grow and shrink between releases (new attributes).
        (#"(recvmsg\(.*\) = )\d+"#, "$1<n>"),
        // A link's operational state and its peer's namespace id in a traced reply are settled
        // by the kernel in the background (linkwatch; an id given on first need), so a reply
        // read just after a change may show either: UP or UNKNOWN, an id or -1.
        (#"(recvmsg\(.*operstate=)(UP|UNKNOWN)\b"#, "$1<up>"),
        (#"(recvmsg\(.*link_netnsid=)-?\d+"#, "$1<id>"),
        // Programs BoxLab starts: their pids, and the namespaces made for them.
        (#"/proc/\d+/"#, "/proc/<pid>/"),
        (#"((clone3?|fork)\(.*\) = )\d+"#, "$1<pid>"),
        (#"/\* \d+ vars \*/"#, "/* <n> vars */"),
        // BoxLab's own programs are where it was built or installed; a container's resolver
        // is told its container's pid.
        (#"(execve\(")[^"]*/(boxlab-[a-z]+")"#, "$1<bin>/$2"),
        (#"("--owner", ")\d+""#, "$1<pid>\""),
        (#"\bkill\(\d+"#, "kill(<pid>"),
        (#"\bdup2\(\d+"#, "dup2(<fd>"),
        (#"(?m)^\[(\d+)\] \d+$"#, "[$1] <pid>"),
        (#"\b(cgroup|ipc|mnt|net|pid|time|user|uts):\[\d+\]"#, "$1:[<ino>]"),
        (#"(cgroup\.procs"[^\n]*\n *write\(<fd>, ")\d+(\\n", )\d+(\) = )\d+"#, "$1<pid>$2<n>$3<n>"),
        // BoxLab's cgroup roots are named for a hash of the run directory's path.
        (#"\bboxlab-[0-9a-f]{8}-"#, "boxlab-<hash>-"),
        // Image digests follow the busybox binary the image was built from.
        (#"\b[0-9a-f]{64}\b"#, "<sha256>"),
        // lsns rows: who else is in a namespace depends on the machine.
        (#"(?m)^ *\d{9,} (cgroup|ipc|mnt|net|pid|time|user|uts) +\d+ +\d+ .*$"#, "<ino> $1 <n> <pid> <command>"),
        // A directory's size (in traces and `ls -l`) is its filesystem's way of counting (tmpfs:
        // entries, ext4: blocks), and the sandbox's workspace is a tmpfs or a disk's
        // (DiskWorkspace).
        (#"(S_IFDIR\|[0-7]+, st_size=)\d+"#, "$1<n>"),
        (#"(?m)^(d[-rwxsStT]{9} +\d+ +\S+ +\S+ +)\d+ "#, "$1<n> "),
        // The machine's devtmpfs (its device nodes bound into a container in the sandbox) is
        // sized by the machine's memory.
        (#"(devtmpfs \(.*)size=\d+k,nr_inodes=\d+"#, "$1size=<n>k,nr_inodes=<n>"),
        // A program running in the background writes its data and log files when it will
        // (etcd its WAL and database, anyone a *.log): the steps' diffs show them as they
        // happen, which a transcript leaves out; and then a diff left with no line.
        (#"(?m)^  [+~-] (?:file|dir) (?:etcd(?:/\S*)?|\S+\.log)(?: \([^)\n]*\))?\n"#, ""),
        (#"(?m)^changed:\n(?!  )"#, ""),
    ]

    public static func normalize(_ text: String) -> String {
        // Compiled here: a Regex cannot be shared between threads (its output type is not Sendable).
        let normalized = rules.reduce(text) { text, rule in
            text.replacing(try! Regex(rule.pattern)) { match in expand(rule.template, match) }
        }
        return orderingFlowDumps(normalized)
    }

    /// A connection tracking dump lists the flows in the kernel's hash order, which differs
    /// from run to run: the flows of one traced reply are put in order.
    private static func orderingFlowDumps(_ text: String) -> String {
        let opening = "recvmsg(<fd>, [IPCTNL_MSG_CT_NEW ", separator = ", IPCTNL_MSG_CT_NEW ", closing = "], 0) = "
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            guard let start = line.firstRange(of: opening), let end = line.ranges(of: closing).last, start.upperBound <= end.lowerBound else {
                return String(line)
            }
            let flows = line[start.upperBound..<end.lowerBound].split(separator: separator).map(String.init).sorted()
            return line[..<start.upperBound] + flows.joined(separator: separator) + line[end.lowerBound...]
        }.joined(separator: "\n")
    }

    /// The replacement for one match: `template` with `$N` standing for the match's group N.
    private static func expand(_ template: String, _ match: Regex<AnyRegexOutput>.Match) -> String {
        var result = ""
        var characters = template.makeIterator()
        while let character = characters.next() {
            guard character == "$", let next = characters.next() else {
                result.append(character)
                continue
            }
            if let group = next.wholeNumberValue, group < match.output.count {
                result += match.output[group].substring.map(String.init) ?? ""
            } else {
                result += "$" + String(next)
            }
        }
        return result
    }
}
