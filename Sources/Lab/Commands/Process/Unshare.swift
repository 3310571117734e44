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
        optionsEndAtFirstOperand: true,
        startsPrograms: true
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
}
