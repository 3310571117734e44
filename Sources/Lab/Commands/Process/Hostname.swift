import Kernel

extension Command {
    /// hostname(1): the UTS namespace's hostname. Setting it is refused on the host itself
    /// (--host): it would rename the machine, and nothing would put it back.
    static let hostname = Command("hostname", usage: "hostname [NAME]", summary: "show or set the hostname (of the session's UTS namespace)", runsInChild: true) { call in
        try call.requireOperands(0...1)
        guard let name = call.operands.first else {
            do {
                call.write(try (call.inChild ? Hostname.of(call.workbench.held.pid ?? 0) : Hostname.get()) + "\n")
            } catch { throw call.failure("cannot read the hostname", error) }
            return
        }
        guard call.inChild || call.workbench.isolation != .host else {
            throw call.failure("will not rename the machine itself", cause: "in --host mode this is the machine's own UTS namespace; set it in a new one: unshare -u hostname \(name)")
        }
        try call.perform([.setHostname(name)], "cannot set the hostname to '\(name)'") { _, _ in
            name.utf8.count > 64 ? "a hostname has at most 64 bytes" : nil
        }
    }
}
