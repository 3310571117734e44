import Kernel

extension Command {
    static let stat = Command(
        "stat", usage: "stat [-L] PATH...", summary: "show a file's type, mode, inode and device numbers",
        options: [.flag("L", "dereference")]
    ) { call in
        try call.requireOperands(1...Int.max)
        for operand in call.operands {
            let target = try call.path(operand, for: .read, following: call.options.has("dereference"))
            let status: FileStatus
            do {
                status = call.options.has("dereference") ? try FileSystem.stat(target) : try FileSystem.lstat(target)
            } catch {
                throw call.failure("cannot stat '\(operand)'", error)
            }
            call.write(describe(operand, status))
        }
    }
}

/// The lines of stat(1) that the lessons use; times are left out so transcripts stay stable.
private func describe(_ name: String, _ status: FileStatus) -> String {
    var type = typeName(status.type)
    if status.isWhiteout { type += " (an overlayfs whiteout)" }
    var lines = [
        "  File: \(name)",
        "  Size: \(status.size)\tType: \(type)",
        "Device: \(status.device)\tInode: \(status.inode)\tLinks: \(status.links)",
    ]
    if status.type == .characterDevice || status.type == .blockDevice {
        lines.append("Device type: \(status.rdev)")
    }
    let octal = String(status.permissions, radix: 8)
    lines.append("Access: (\(String(repeating: "0", count: max(0, 4 - octal.count)) + octal)/\(status.modeString))  Uid: \(status.uid)  Gid: \(status.gid)")
    return lines.joined(separator: "\n") + "\n"
}

func typeName(_ type: FileType) -> String {
    switch type {
    case .regular: "regular file"
    case .directory: "directory"
    case .symlink: "symbolic link"
    case .characterDevice: "character special file"
    case .blockDevice: "block special file"
    case .fifo: "fifo"
    case .socket: "socket"
    }
}
