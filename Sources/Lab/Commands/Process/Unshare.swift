import FoundationEssentials
import Glibc
import Kernel

extension Command {
    /// unshare(1): a program in new namespaces. The program itself is the first process in
    /// them (clone with CLONE_NEW*), so `--pid` always means `--pid --fork`.
    static let unshare = Command(
        "unshare",
        usage: "unshare [-m] [-u] [-i] [-n] [-p -f [--mount-proc]] [-U [-r]] [-C] [-T] [--propagation MODE] \(Privileges.usage) PROGRAM [ARG...] [&]",
        summary: "run a program in new namespaces",
        options: NamespaceKind.optionSpecs + [
            .flag("f", "fork"), .flag(nil, "mount-proc"), .flag("r", "map-root-user"), .value(nil, "propagation"),
        ] + Privileges.optionSpecs,
        optionsEndAtFirstOperand: true
    ) { call in
        var launch = ProcessLaunch(program: call.operands)
        launch.new = NamespaceKind.allCases.filter { call.options.has($0.optionName) }
        if call.options.has("mount-proc") {
            if !launch.new.contains(.mnt) { launch.new.append(.mnt) }
            launch.mountProc = true
        }
        if call.options.has("map-root-user") {
            if !launch.new.contains(.user) { launch.new.append(.user) }
            // Root inside is the caller outside, as unshare(1) maps it.
            launch.userMap = "0 \(geteuid()) 1"
        }
        if launch.new.contains(.pid), !call.options.has("fork") {
            throw call.failure("--pid needs --fork here", cause: "without --fork, unshare(1) stays outside the new PID namespace and its first child becomes PID 1; BoxLab starts the program as that first process: add -f")
        }
        if launch.new.contains(.mnt) {
            let mode = call.options.value("propagation") ?? "private"
            guard mode == "unchanged" || Propagation(rawValue: mode) != nil else {
                throw call.failure("unsupported propagation mode: \(mode)", cause: "use slave, shared, private or unchanged")
            }
            launch.propagation = Propagation(rawValue: mode)
        }
        guard !launch.new.isEmpty else {
            throw call.failure("no namespace to make", cause: "name at least one: -m mount, -u uts, -i ipc, -n net, -p pid, -U user, -C cgroup, -T time")
        }
        try call.launch(launch, privileges: Privileges.operations(call.options, command: call.command.name))
    }

    /// setpriv(1): a program with its privileges changed (see `Privileges`), in BoxLab's
    /// namespaces; without a program, the process being set up changes its own, before exec
    /// (as runc's child becomes the container's user once its user namespace is mapped).
    static let setpriv = Command(
        "setpriv", usage: "setpriv \(Privileges.usage) [PROGRAM [ARG...] [&]]",
        summary: "run a program with fewer privileges (capability sets, no_new_privs, other ids), or change those of the process being set up",
        options: Privileges.optionSpecs, optionsEndAtFirstOperand: true
    ) { call in
        let privileges = try Privileges.operations(call.options, command: call.command.name)
        guard !privileges.isEmpty else {
            throw call.failure("no privilege to change", cause: "name one: --no-new-privs, --bounding-set -all,+chown, --reuid 1000 …")
        }
        guard call.operands.isEmpty else { return try call.launch(ProcessLaunch(program: call.operands), privileges: privileges) }
        guard let pid = call.environment.held.pid else {
            throw call.failure("which program?", cause: "setpriv OPTIONS PROGRAM runs one; without a program it changes the process being set up (after clone, before exec)")
        }
        // A change of ids made it undumpable, its /proc files root's: BoxLab could not reach
        // its root (/proc/PID/root) to check the paths it is sent next, nor could it write its maps.
        let changesIDs = privileges.contains { if case .setUserIDs = $0 { true } else if case .setGroupIDs = $0 { true } else { false } }
        try call.perform(privileges + (changesIDs ? [.dumpable] : []), "cannot change the privileges of process \(pid)") { error, _ in Privileges.cause(of: error) }
    }
}

extension NamespaceKind {
    /// util-linux's option for the kind: `-m/--mount`, `-u/--uts`, …
    var optionName: String {
        switch self {
        case .mnt: "mount"
        default: rawValue
        }
    }

    var optionLetter: Character {
        switch self {
        case .cgroup: "C"
        case .ipc: "i"
        case .mnt: "m"
        case .net: "n"
        case .pid: "p"
        case .time: "T"
        case .user: "U"
        case .uts: "u"
        }
    }

    static var optionSpecs: [OptionSpec] { allCases.map { .flag($0.optionLetter, $0.optionName) } }

    /// A kind by the names learners use for it: `uts`, `mnt` or `mount`, `net` or `network`.
    init?(word: String) {
        switch word {
        case "mount": self = .mnt
        case "network": self = .net
        default: self.init(rawValue: word)
        }
    }
}
