import Kernel

extension Command {
    static let readlink = Command("readlink", usage: "readlink PATH...", summary: "print where symbolic links point (/proc/PID/ns/uts: uts:[INODE])") { call in
        try call.requireOperands(1...Int.max)
        for operand in call.operands {
            let path = try call.path(operand, for: .read, following: false)
            do { call.write(try FileSystem.readlink(path) + "\n") } catch {
                throw call.failure("\(operand)", error, cause: (error as? KernelError)?.errno == .EINVAL ? "it is not a symbolic link" : nil)
            }
        }
    }

    /// `ln -s`: symbolic links only (the veth lab links /proc/PID/ns/net into /run/netns).
    static let ln = Command("ln", usage: "ln -s TARGET LINK", summary: "make a symbolic link", options: [.flag("s", "symbolic"), .flag("f", "force")], runsInChild: true) { call in
        guard call.options.has("symbolic") else { throw call.failure("BoxLab makes symbolic links only", cause: "add -s") }
        try call.requireOperands(2...2)
        // The link's name is a path; its target is text, which the kernel resolves only when
        // something follows the link, and then through these same rules.
        if !call.inChild {
            let link = try call.path(call.operands[1], for: .write, following: false)
            if let name = Workbench.namespaceName(ofLink: link), let problem = NetworkNamespaces.problem(with: name) {
                throw call.failure("'\(call.operands[1])' cannot name a network namespace", cause: problem)
            }
            // A link to /proc/PID/ns/net names that process's namespace wherever it is (`ip -n`).
            let target = call.operands[0]
            try call.requireOwnProcess(at: target.hasPrefix("/") ? target : String(link[..<(link.lastIndex(of: "/") ?? link.startIndex)]) + "/" + target)
            if call.options.has("force") { try? FileSystem.unlink(link) }
        }
        try call.perform([.symlink(target: call.operands[0], path: call.operands[1])], "failed to create symbolic link '\(call.operands[1])'")
    }
}
