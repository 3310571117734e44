import Kernel

extension Command {
    /// capsh(1)'s two halves: a process's five capability sets and its no_new_privs flag, read
    /// from /proc/PID/status and decoded (each set as its mask and as `capsh --decode` names
    /// it, cap_chown,cap_kill; `all` when it holds every capability a process here can have
    /// (`Capability.held()`), what root gets: getpcaps's `=ep`; or `none`); and `--drop`, or keeping
    /// only some, in the process being set up. Only a process changes its own sets, so after
    /// its exec nobody can take a capability from it.
    static let caps = Command(
        "caps", usage: "caps PID | caps drop|keep CAP[,CAP...]",
        summary: "show a process's capability sets (CapInh, CapPrm, CapEff, CapBnd, CapAmb) decoded, and no_new_privs; or drop capabilities from the process being set up, or keep only some"
    ) { call in
        if let verb = call.operands.first, verb == "drop" || verb == "keep" {
            return try changeCapabilities(call, keeping: verb == "keep")
        }
        try call.requireOperands(1...1)
        let pid = try call.runningPid(call.operands[0])
        // Read as getpcaps reads it, untraced: the status file's length changes with the
        // process's memory, and its lines are what follows.
        guard let capabilities = Trace.untraced({ ProcessCapabilities.of(pid) }) else {
            throw call.failure("cannot read the capabilities of process \(pid)", cause: "it has ended, or /proc/\(pid)/status has no CapEff line")
        }
        let all = Capability.held()
        for kind in ProcessCapabilities.Kind.allCases {
            let set = capabilities[kind]
            let label = kind.name + ":"
            call.write(label + String(repeating: " ", count: 13 - label.count) + set.hex + "  " + set.decoded(all: all) + "\n")
        }
        call.write("no_new_privs: \(capabilities.noNewPrivileges ? 1 : 0)\n")
    }

    /// `caps drop` / `caps keep`: each capability leaving goes from the bounding set
    /// (PR_CAPBSET_DROP, so no exec of a setuid or file-capability program brings it back),
    /// then capset leaves the effective, permitted and inheritable sets what remains, in the
    /// order runc applies a container's capabilities.
    private static func changeCapabilities(_ call: Invocation, keeping: Bool) throws {
        try call.requireOperands(2...2)
        guard let pid = call.workbench.held.pid else {
            throw call.failure("there is no process being set up", cause: "a process changes only its own capabilities, so a runtime drops them in its child before exec: clone, then caps \(call.operands[0]) …, then exec")
        }
        var named: [Capability] = []
        for name in call.operands[1].split(separator: ",", omittingEmptySubsequences: false) {
            guard let capability = Capability(name: String(name)), capability.number < Capability.all().count else {
                throw call.failure("unknown capability '\(name)'", cause: "names as capabilities(7) gives them, with or without cap_, comma-separated: caps \(call.operands[0]) cap_sys_admin,net_raw")
            }
            named.append(capability)
        }
        guard let current = Trace.untraced({ ProcessCapabilities.of(pid) }) else {
            throw call.failure("cannot read the capabilities of process \(pid)", cause: "it has ended")
        }
        let leaving = Set(keeping ? Capability.all().filter { !named.contains($0) } : named)
        let kept = current[.permitted].capabilities.filter { !leaving.contains($0) }
        let drops = current[.bounding].capabilities.filter(leaving.contains).map(SetupOperation.dropBoundingCapability)
        try call.perform(drops + [.setCapabilities(keep: kept)], "cannot change the capabilities of process \(pid)") { _, _ in "dropping from the bounding set needs CAP_SETPCAP, which an earlier drop may have taken" }
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
