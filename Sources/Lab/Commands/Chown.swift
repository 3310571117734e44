import Kernel

extension Command {
    /// chown(1) with numeric ids: who owns a file, as the kernel keeps it (a name would be
    /// looked up in one user database or another; the number is what the inode holds).
    static let chown = Command(
        "chown", usage: "chown [-h] UID[:GID]|:GID PATH...", summary: "change the owner and group of files (numeric ids)",
        options: [.flag("h", "no-dereference")]
    ) { call in
        try call.requireOperands(2...Int.max)
        let (uid, gid) = try ownerAndGroup(call.operands[0], call)
        let itself = call.options.has("no-dereference")
        for operand in call.operands.dropFirst() {
            let path = try call.path(operand, for: .write, following: !itself)
            do throws(KernelError) {
                if itself { try FileSystem.lchown(path, uid: uid, gid: gid) } else { try FileSystem.chown(path, uid: uid, gid: gid) }
            } catch {
                throw call.failure("changing ownership of '\(operand)'", error,
                                   cause: error.errno == .EINVAL ? "the id is not mapped in BoxLab's user namespace (see /proc/self/uid_map and gid_map)" : nil)
            }
        }
    }

    /// `UID`, `UID:GID` or `:GID`; nil is left as it is.
    private static func ownerAndGroup(_ text: String, _ call: Invocation) throws(CommandError) -> (UInt32?, UInt32?) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        // -1 (4294967295) is the kernel's "unchanged", not an id.
        func id(_ part: Substring) -> UInt32?? { part.isEmpty ? .some(nil) : UInt32(part).flatMap { $0 == .max ? nil : .some($0) } }
        guard (1...2).contains(parts.count), let uid = id(parts[0]), let gid = parts.count == 2 ? id(parts[1]) : .some(nil), uid != nil || gid != nil else {
            throw call.failure("invalid owner '\(text)'", cause: "BoxLab's chown takes numbers: UID, UID:GID or :GID, like 100000:100000")
        }
        return (uid, gid)
    }
}
