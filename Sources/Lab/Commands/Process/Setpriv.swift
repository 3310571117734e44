import Kernel

extension Command {
    /// setpriv(1): a program with its privileges changed (see `Privileges`), in BoxLab's
    /// namespaces; without a program, the process being set up changes its own, before exec
    /// (as runc's child becomes the container's user once its user namespace is mapped).
    static let setpriv = Command(
        "setpriv", usage: "setpriv \(Privileges.usage) [PROGRAM [ARG...] [&]]",
        summary: "run a program with fewer privileges (capability sets, no_new_privs, other ids), or change those of the process being set up",
        options: Privileges.optionSpecs, optionsEndAtFirstOperand: true,
        startsPrograms: true
    ) { call in
        let privileges = try Privileges.operations(call.options, command: call.command.name)
        guard !privileges.isEmpty else {
            throw call.failure("no privilege to change", cause: "name one: --no-new-privs, --bounding-set -all,+chown, --reuid 1000 …")
        }
        guard call.operands.isEmpty else { return try call.launch(ProcessLaunch(program: call.operands), privileges: privileges) }
        guard let pid = call.workbench.held.pid else {
            throw call.failure("which program?", cause: "setpriv OPTIONS PROGRAM runs one; without a program it changes the process being set up (after clone, before exec)")
        }
        // A change of ids made it undumpable, its /proc files root's: BoxLab could not reach
        // its root (/proc/PID/root) to check the paths it is sent next, nor could it write its maps.
        let changesIDs = privileges.contains { if case .setUserIDs = $0 { true } else if case .setGroupIDs = $0 { true } else { false } }
        try call.perform(privileges + (changesIDs ? [.dumpable] : []), "cannot change the privileges of process \(pid)") { error, _ in Privileges.cause(of: error) }
    }
}
