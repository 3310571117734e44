import Kernel

extension Command {
    static let rm = Command(
        "rm", usage: "rm [-r] [-f] PATH...", summary: "remove files (and directories with -r)",
        options: [.flag("r", "recursive"), .flag("R"), .flag("f", "force")]
    ) { call in
        try call.requireOperands(1...Int.max)
        let recursive = call.options.has("recursive") || call.options.has("R")
        for operand in call.operands {
            let target = try call.path(operand, for: .write, following: false)
            do {
                let status = try FileSystem.lstat(target)
                if status.type == .directory {
                    guard recursive else { throw call.failure("cannot remove '\(operand)': Is a directory", cause: "use rm -r") }
                    try FileSystem.removeTree(target)
                } else {
                    try FileSystem.unlink(target)
                }
            } catch let error as KernelError {
                if call.options.has("force") && error.errno == .ENOENT { continue }
                throw call.failure("cannot remove '\(operand)'", error)
            }
        }
    }

    static let rmdir = Command("rmdir", usage: "rmdir DIR...", summary: "remove empty directories") { call in
        try call.requireOperands(1...Int.max)
        for operand in call.operands {
            let target = try call.path(operand, for: .write, following: false)
            do { try FileSystem.rmdir(target) } catch {
                throw call.failure("failed to remove '\(operand)'", error)
            }
        }
    }
}
