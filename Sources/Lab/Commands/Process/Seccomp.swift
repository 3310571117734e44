import Kernel

extension Command {
    /// A seccomp filter from a profile: listed (`dump`), or loaded into the process being set
    /// up (`load`), last before exec as runc and crun load theirs, once nothing else the
    /// runtime must do could be denied.
    static let seccomp = Command(
        "seccomp", usage: "seccomp dump|load PROFILE [--no-arch-check]",
        summary: "assemble a seccomp filter from PROFILE: list its BPF instructions, or load it into the process being set up",
        options: [.flag(nil, "no-arch-check")]
    ) { call in
        try call.requireOperands(2...2)
        let (verb, operand) = (call.operands[0], call.operands[1])
        guard ["dump", "load"].contains(verb) else {
            throw call.failure("unknown action '\(verb)'", cause: "seccomp dump PROFILE lists the filter; seccomp load PROFILE loads it into the process being set up (after clone, before exec)")
        }
        let profile: SeccompProfile
        do throws(CommandError) { profile = try SeccompProfileText.read(operand) { path, use throws(CommandError) in try call.path(path, for: use) } } catch {
            throw call.failure(error.message, cause: error.cause)
        }
        let filter = SeccompFilter(profile, checksArchitecture: !call.options.has("no-arch-check"))
        guard verb == "load" else {
            return call.write(filter.disassembly.joined(separator: "\n") + "\n")
        }
        guard let pid = call.workbench.held.pid else {
            throw call.failure("there is no process being set up", cause: "start one with clone; seccomp load acts on it before exec, and the program it becomes keeps the filter")
        }
        try call.perform([.loadSeccompFilter(filter)], "cannot load the filter into process \(pid)") { _, _ in "without no_new_privs, loading a filter takes CAP_SYS_ADMIN" }
        try call.journal(filter, loadedInto: pid)
    }
}

extension Invocation {
    /// Journals a filter loaded into `pid` (by `seccomp load`, or a container's): what the
    /// checks judge its verdicts by, since the kernel shows a filter only to the host's
    /// CAP_SYS_ADMIN. BoxLab's bookkeeping, untraced.
    func journal(_ filter: SeccompFilter, loadedInto pid: Int32) throws {
        let startTime = Trace.untraced { ProcessTable.startTime(of: pid) } ?? 0
        do throws(KernelError) {
            try Trace.untraced { () throws(KernelError) in try workbench.ledger.record(.seccompFilter(pid: pid, startTime: startTime, instructions: filter.hex)) }
        } catch { throw failure("cannot journal the filter", error) }
    }
}
