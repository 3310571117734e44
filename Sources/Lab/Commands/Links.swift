import Kernel

extension Command {
    static let readlink = Command("readlink", usage: "readlink PATH...", summary: "print where symbolic links point (/proc/PID/ns/uts: uts:[INODE])") { call in
        try call.requireOperands(1...Int.max)
        for operand in call.operands {
            do { call.write(try FileSystem.readlink(call.path(operand)) + "\n") } catch {
                throw call.failure("\(operand)", error, cause: (error as? KernelError)?.errno == .EINVAL ? "it is not a symbolic link" : nil)
            }
        }
    }

    /// `ln -s`: symbolic links only (the veth lab links /proc/PID/ns/net into /run/netns).
    static let ln = Command("ln", usage: "ln -s TARGET LINK", summary: "make a symbolic link", options: [.flag("s", "symbolic"), .flag("f", "force")]) { call in
        guard call.options.has("symbolic") else { throw call.failure("BoxLab makes symbolic links only", cause: "add -s") }
        try call.requireOperands(2...2)
        if call.inChild {
            return try call.runInChild([.symlink(target: call.operands[0], path: call.operands[1])], "failed to create symbolic link '\(call.operands[1])'")
        }
        let link = call.path(call.operands[1])
        // A link to /proc/PID/ns/net names that process's namespace wherever it is (`ip -n`).
        let target = call.operands[0]
        try call.requireOwnProcess(at: target.hasPrefix("/") ? target : String(link[..<(link.lastIndex(of: "/") ?? link.startIndex)]) + "/" + target)
        do {
            if link.hasPrefix(Sandbox.networkNamespaces + "/") { try call.environment.willLinkNamespace(link) }
            if call.options.has("force") { try? FileSystem.unlink(link) }
            try FileSystem.symlink(call.operands[0], at: link)
        } catch {
            throw call.failure("failed to create symbolic link '\(call.operands[1])'", error)
        }
    }

    static let sleep = Command("sleep", usage: "sleep SECONDS", summary: "wait (seconds, decimals allowed)") { call in
        try call.requireOperands(1...1)
        guard let seconds = Double(call.operands[0]), seconds >= 0, seconds <= 3600 else {
            throw call.failure("invalid time interval '\(call.operands[0])'", cause: "seconds, such as 1 or 0.5 (at most an hour)")
        }
        do { try Pause.sleep(seconds) } catch { throw call.failure("cannot sleep", error) }
    }
}

extension Workbench {
    /// Host mode: a name in /run/netns for a process's namespace (`ln -s /proc/PID/ns/net
    /// /run/netns/NAME`) is journaled like a namespace `ip netns add` makes.
    func willLinkNamespace(_ path: String) throws(KernelError) {
        guard isolation == .host else { return }
        try Sandbox.prepareMountPoints(ledger: ledger)
        try ledger.record(.networkNamespace(path: path))
    }
}
