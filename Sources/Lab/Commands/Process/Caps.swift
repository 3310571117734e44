import Kernel

extension Command {
    /// A process's five capability sets and its no_new_privs flag, read from /proc/PID/status
    /// and decoded: each set as its mask and as `capsh --decode` names it (cap_chown,cap_kill),
    /// or `all` when it holds every capability this kernel has (0 through cap_last_cap, what
    /// root gets: getpcaps's `=ep`), or `none`.
    static let caps = Command(
        "caps", usage: "caps PID", summary: "show a process's capability sets (CapInh, CapPrm, CapEff, CapBnd, CapAmb) decoded, and no_new_privs"
    ) { call in
        try call.requireOperands(1...1)
        let pid = try call.runningPid(call.operands[0])
        guard let capabilities = ProcessCapabilities.of(pid) else {
            throw call.failure("cannot read the capabilities of process \(pid)", cause: "it has ended, or /proc/\(pid)/status has no CapEff line")
        }
        let all = Capability.all()
        for kind in ProcessCapabilities.Kind.allCases {
            let set = capabilities[kind]
            let label = kind.name + ":"
            call.write(label + String(repeating: " ", count: 13 - label.count) + set.hex + "  " + set.decoded(all: all) + "\n")
        }
        call.write("no_new_privs: \(capabilities.noNewPrivileges ? 1 : 0)\n")
    }
}

extension Invocation {
    /// The pid an operand names, once it is a running process the session may act on.
    func runningPid(_ operand: String) throws -> Int32 {
        guard let pid = Int32(operand), pid > 0 else { throw failure("'\(operand)' is not a pid", cause: "give a process id, such as $c1 or $!") }
        guard !Trace.untraced({ ProcessTable.hasEnded(pid) }) else {
            throw failure("process \(pid) does not exist", cause: "it has ended or never was: `lsns` and `ls /proc` show the running ones")
        }
        try requireOwn(pid)
        return pid
    }
}
