import Kernel

extension Command {
    /// nsenter(1): a program in the namespaces of a running process. Only the network
    /// namespace can be joined by one thread of BoxLab, so `nsenter -t PID -n` with one of
    /// BoxLab's commands runs in-process (as `ip netns exec` does); anything else starts the
    /// program in a child that joins them.
    static let nsenter = Command(
        "nsenter",
        usage: "nsenter -t PID [-m] [-u] [-i] [-n] [-p] [-U] [-C] [-T] [-a] PROGRAM [ARG...] [&]",
        summary: "run a program in the namespaces of a running process",
        options: NamespaceKind.optionSpecs + [.value("t", "target"), .flag("a", "all")],
        optionsEndAtFirstOperand: true,
        startsPrograms: true
    ) { call in
        guard let target = call.options.value("target") else {
            throw call.failure("no target process", cause: "name it with -t PID (or -t $c1)")
        }
        guard let pid = Int32(target), pid > 0 else { throw call.failure("'\(target)' is not a pid", cause: "-t takes a process id, such as $c1 or $!") }
        guard !Trace.untraced({ ProcessTable.hasEnded(pid) }) else {
            throw call.failure("process \(pid) does not exist", cause: "it has ended or never was: `lsns` and `ls /proc` show the running ones")
        }
        try call.requireOwn(pid)
        var kinds = NamespaceKind.allCases.filter { call.options.has($0.optionName) }
        if call.options.has("all") {
            // As nsenter(1): every namespace that differs from ours (setns to the same user
            // namespace is refused with EINVAL).
            kinds = NamespaceKind.allCases.filter { kind in
                Trace.untraced { ProcessTable.namespace(kind.rawValue, of: pid) != ProcessTable.namespace(kind.rawValue, of: nil) }
            }
        }
        guard !kinds.isEmpty else { throw call.failure("no namespace to enter", cause: "name them: -m -u -i -n -p -U -C -T, or -a for all") }
        if kinds == [.net], let command = call.operands.first.flatMap({ CommandSet.byName[$0] }), !call.background || command.startsPrograms {
            try call.perform(call.operands, in: "/proc/\(pid)/ns/net")
            return
        }
        var launch = ProcessLaunch(program: call.operands)
        // The user namespace first: it decides what may be done in the others.
        launch.join = kinds.sorted { ($0 == .user ? 0 : 1, $0.rawValue) < ($1 == .user ? 0 : 1, $1.rawValue) }
            .map { ($0, "/proc/\(pid)/ns/\($0.rawValue)") }
        try call.launch(launch)
    }
}
