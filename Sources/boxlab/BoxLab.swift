import ArgumentParser

struct BoxLab: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "boxlab",
        abstract: "Learn how Linux containers are made by making them, one kernel call at a time.",
        discussion: """
        With no subcommand, opens the REPL on a lab. Sessions run in a sandbox of their own \
        (mount, network, UTS and IPC namespaces) unless --host is given; on the host, a lab \
        that is not one of BoxLab's own runs sh blocks and programs only with --trust.
        """,
        subcommands: [
            Repl.self, Run.self, Check.self, Verify.self, Standing.self, Record.self, List.self,
            Shell.self, SandboxCommand.self, ImageCommand.self, ContainerCommand.self, ResetCommand.self, Doctor.self,
        ],
        defaultSubcommand: Repl.self
    )
}
