import Kernel

extension Command {
    /// `container run`, docker run's counterpart: every step the labs take by hand, in one
    /// command, in a runtime's order, and traced.
    static let container = Command(
        "container", usage: ContainerSpec.usage,
        summary: "run a program in a container made from an image: namespaces, overlay root, cgroup, network, pivot_root, Docker's capabilities and seccomp filter",
        options: ContainerSpec.options, optionsEndAtFirstOperand: true,
        startsPrograms: true
    ) { call in
        var words = call.operands
        guard words.first == "run" else {
            throw call.failure(words.isEmpty ? "what should it do?" : "unknown subcommand '\(words[0])'", cause: "usage: \(ContainerSpec.usage)")
        }
        words.removeFirst()
        let options = try ParsedOptions.parse(words, specs: ContainerSpec.options, command: "container run", endAtFirstOperand: true)
        try call.runContainer(ContainerSpec(options) { path, use throws(CommandError) in try call.path(path, for: use) })
    }
}
