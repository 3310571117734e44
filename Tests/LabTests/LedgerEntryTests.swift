import Foundation
@testable import Lab
import Testing

/// The ledger's lines are written by hand and read by the Codable conformance: every kind of
/// entry, with text that JSON must escape, reads back as it was written.
struct LedgerEntryTests {
    static let entries: [LedgerEntry] = [
        .directory(path: "/run/boxlab/workspace/a \"quoted\" name", device: "0:25", inode: 18_446_744_073_709_551_615),
        .mount(target: "/run/boxlab/back\\slash", mountID: 412, device: "0:61"),
        .sandbox(path: "/run/boxlab/sandbox"),
        .mountPoint(path: "/run/netns", made: true),
        .mountPoint(path: "/run/netns", made: false),
        .mountPoint(path: "/run/netns"),
        .networkNamespace(path: "/run/netns/line\nbreak\tand tab", inode: 4_026_532_301),
        .namespaceLink(path: "/run/netns/red", inode: 77),
        .link(name: "vé-\u{1}"),
        .link(name: "veth0", index: 2_147_483_647),
        .process(pid: 4242, startTime: 18_446_744_073_709_551_615),
        .cgroup(path: "/sys/fs/cgroup/memory/boxlab-1234abcd-09-cgroups"),
        .cgroup(path: "/sys/fs/cgroup/boxlab-1234abcd-09-cgroups", inode: 9012),
        .cgroupControllers(directory: "/sys/fs/cgroup/x", names: ["memory", "pids"]),
        .cgroupControllers(directory: "/sys/fs/cgroup/x", names: []),
        .cgroupLeaf(parent: "/sys/fs/cgroup/user.slice", leaf: "/sys/fs/cgroup/user.slice/boxlab-leaf"),
        .nfTable(family: 2, name: "boxlab \"nat\""),
        .nfTable(family: 1, name: "filter", handle: 18_446_744_073_709_551_615),
        .nfChain(family: 2, table: "nat", name: "DOCKER"),
        .nfChain(family: 2, table: "nat", name: "DOCKER", handle: 7),
        .nfRule(family: 2, table: "nat", chain: "POSTROUTING"),
        .nfRule(family: 2, table: "nat", chain: "POSTROUTING", handle: 12),
        .sysctl(name: "net.ipv4.ip_forward", original: "0", value: "1"),
        .sysctl(name: "net.ipv4.ip_local_port_range", original: "32768\t60999", value: "1024\t65000"),
        .seccompFilter(pid: 4242, startTime: 77, instructions: "2000000004000000"),
    ]

    @Test("each entry is one line that decodes to itself", arguments: entries)
    func roundTrip(_ entry: LedgerEntry) throws {
        let line = entry.jsonLine
        #expect(!line.contains("\n"))
        #expect(try JSONDecoder().decode(LedgerEntry.self, from: Data(line.utf8)) == entry)
    }

    /// An older BoxLab journaled mounts, namespaces and directories by path alone, before
    /// they existed: such a line names no object reset could check, so it is not read.
    @Test("a line without the identity its kind needs is not an entry", arguments: [
        #"{"mount":{"target":"/"}}"#, #"{"networkNamespace":{"path":"/run/netns/../../etc/passwd"}}"#,
        #"{"directory":{"path":"/etc"}}"#, #"{"namespaceLink":{"path":"/run/netns/x"}}"#,
        #"{"nfTable":{"name":"nat","handle":3}}"#, #"{"nfRule":{"family":2,"handle":3}}"#, #"{"sysctl":{"name":"net.ipv4.ip_forward","value":"1"}}"#,
    ])
    func lineWithoutIdentity(_ line: String) {
        #expect((try? JSONDecoder().decode(LedgerEntry.self, from: Data(line.utf8))) == nil)
    }
}
