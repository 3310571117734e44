import Foundation
@testable import Lab
import Testing

/// The ledger's lines are written by hand and read by the Codable conformance: every kind of
/// entry, with text that JSON must escape, reads back as it was written.
struct LedgerEntryTests {
    static let entries: [LedgerEntry] = [
        .directory(path: "/run/boxlab/workspace/a \"quoted\" name"),
        .mount(target: "/run/boxlab/back\\slash"),
        .sandbox(path: "/run/boxlab/sandbox"),
        .mountPoint(path: "/run/netns", made: true),
        .mountPoint(path: "/run/netns", made: false),
        .mountPoint(path: "/run/netns"),
        .networkNamespace(path: "/run/netns/line\nbreak\tand tab"),
        .link(name: "vé-\u{1}"),
        .process(pid: 4242, startTime: 18_446_744_073_709_551_615),
        .cgroup(path: "/sys/fs/cgroup/memory/boxlab-1234abcd-09-cgroups"),
        .cgroupControllers(directory: "/sys/fs/cgroup/x", names: ["memory", "pids"]),
        .cgroupControllers(directory: "/sys/fs/cgroup/x", names: []),
        .cgroupLeaf(parent: "/sys/fs/cgroup/user.slice", leaf: "/sys/fs/cgroup/user.slice/boxlab-leaf"),
    ]

    @Test("each entry is one line that decodes to itself", arguments: entries)
    func roundTrip(_ entry: LedgerEntry) throws {
        let line = entry.jsonLine
        #expect(!line.contains("\n"))
        #expect(try JSONDecoder().decode(LedgerEntry.self, from: Data(line.utf8)) == entry)
    }
}
