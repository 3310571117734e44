import Kernel

extension Command {
    static let sysctl = Command(
        "sysctl", usage: "sysctl [-w] NAME[=VALUE]",
        summary: "read or set a kernel parameter (net.* ones belong to the current network namespace)",
        options: [.flag("w", "write"), .flag("n", "values")]
    ) { call in
        try call.requireOperands(1...1)
        let parts = call.operands[0].split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let name = parts[0]
        guard let path = KernelParameter.path(of: name) else {
            throw call.failure("\"\(name)\" is not a parameter name", cause: "e.g. net.ipv4.ip_forward")
        }
        // net.* belongs to a network namespace (in the sandbox, one of its own); the rest is
        // the machine's, for a trusted lab on the host only (see `Reach`).
        if parts.count == 2, !name.hasPrefix("net."), call.reach == .session {
            throw call.failure("\(name) is machine-wide: a lab may set only net.* parameters, unless it runs with --host and is one of BoxLab's own or given --trust")
        }
        // /proc/sys/net shows the namespace of the thread that opens it, so the file is opened there.
        do {
            try NetworkPlaces().perform(in: call.namespace) { () throws(KernelError) in
                if parts.count == 2 {
                    try call.workbench.settingSysctl(name, at: path, to: parts[1], in: call.namespace)
                    call.write("\(name) = \(parts[1])\n")
                } else {
                    let value = String(decoding: try FileSystem.readFile(path), as: UTF8.self)
                    call.write(call.options.has("values") ? value : "\(name) = \(value)")
                }
            }
        } catch {
            throw call.failure("cannot \(parts.count == 2 ? "set" : "read") \(name)", error,
                               cause: (error as? KernelError)?.errno == .ENOENT ? "there is no such parameter" : nil)
        }
    }
}
