import FoundationEssentials
import Kernel

/// The journal of everything BoxLab creates on the machine (JSON lines, one write per entry).
public struct Ledger: Sendable {
    public let path: String

    public init(path: String) { self.path = path }

    /// Journals `entry`: an object once it exists, with its identity; an intent before the call.
    public func record(_ entry: LedgerEntry) throws(KernelError) {
        try Trace.untraced { () throws(KernelError) in try Journal.append(entry.jsonLine, to: path) }
    }

    /// Journals a change to the cgroup tree (`CgroupRoot.prepare`).
    public func record(_ change: CgroupChange) throws(KernelError) {
        switch change {
        case .group(let path, let inode): try record(.cgroup(path: path, inode: inode))
        case .controllers(let directory, let names): try record(.cgroupControllers(directory: directory, names: names))
        case .leaf(let parent, let leaf): try record(.cgroupLeaf(parent: parent, leaf: leaf))
        }
    }

    /// Every entry journaled so far, oldest first. Lines that do not decode (a write cut
    /// short by a crash) are skipped: the objects they name were never created.
    public func entries() -> [LedgerEntry] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { try? JSONDecoder().decode(LedgerEntry.self, from: Data($0.utf8)) }
    }
}
