import Image
import Kernel

extension Command {
    static let ls = Command(
        "ls", usage: "ls [-l] [-a] [-d] [PATH...]", summary: "list directories (-l shows whiteouts as c 0,0)",
        options: [.flag("l"), .flag("a", "all"), .flag("d", "directory"), .flag("1")]
    ) { call in
        let operands = call.operands.isEmpty ? ["."] : call.operands
        for (index, operand) in operands.enumerated() {
            let target = try call.path(operand, for: .read, following: false)
            let status: FileStatus
            do { status = try FileSystem.lstat(target) } catch {
                throw call.failure("cannot access '\(operand)'", error)
            }
            if status.type != .directory || call.options.has("directory") {
                call.write(listing(name: operand, path: target, status: status, long: call.options.has("l")))
                continue
            }
            if operands.count > 1 { call.write((index > 0 ? "\n" : "") + operand + ":\n") }
            let names: [String]
            do { names = try FileSystem.listDirectory(target) } catch {
                throw call.failure("cannot open directory '\(operand)'", error)
            }
            for name in names where call.options.has("all") || !name.hasPrefix(".") {
                // Plain ls needs only the names; -l needs each entry's inode.
                guard call.options.has("l") else { call.write(name + "\n"); continue }
                let path = target + "/" + name
                guard let entry = try? FileSystem.lstat(path) else { continue }
                call.write(listing(name: name, path: path, status: entry, long: true))
            }
        }
    }
}

/// One line of `ls` or `ls -l`; -l notes what overlayfs makes of an entry, since that is
/// what the lesson is about.
private func listing(name: String, path: String, status: FileStatus, long: Bool) -> String {
    guard long else { return name + "\n" }
    let size = status.type == .characterDevice || status.type == .blockDevice
        ? "\(status.rdev.major), \(status.rdev.minor)" : String(status.size)
    var line = "\(status.modeString) \(status.links) \(userName(status.uid)) \(groupName(status.gid)) \(size) \(name)"
    if status.type == .symlink, let target = try? FileSystem.readlink(path) { line += " -> \(target)" }
    if status.isWhiteout { line += "   (whiteout)" }
    if status.type == .directory, isOpaque(path) { line += "   (opaque)" }
    return line + "\n"
}

func isOpaque(_ path: String) -> Bool {
    // The attribute this place's overlay mounts use first: the other is the rare case.
    let here = Whiteout.opaqueAttribute
    return ([here] + Whiteout.opaqueAttributes.filter { $0 != here }).contains { (try? FileSystem.getxattr(path, $0)) == Array("y".utf8) }
}

private func userName(_ uid: UInt32) -> String { uid == 0 ? "root" : String(uid) }
private func groupName(_ gid: UInt32) -> String { gid == 0 ? "root" : String(gid) }
