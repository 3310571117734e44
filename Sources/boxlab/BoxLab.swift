import ArgumentParser

struct BoxLab: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "boxlab",
        abstract: "Learn how Linux containers are made by making them, one kernel call at a time.",
        discussion: """
        With no subcommand, opens the REPL on a lab. Sessions run in a sandbox of their own \
        (user, mount, network, UTS, IPC, cgroup and PID namespaces, the host read-only) \
        unless --host is given; on the host, a lab that is not one of BoxLab's own runs sh \
        blocks and programs only with --trust.
        """,
        version: BoxLab.version,
        subcommands: [
            Repl.self, Run.self, Check.self, Verify.self, Standing.self, Record.self, List.self,
            ProgressCommand.self, Shell.self, Notes.self, SandboxCommand.self, ImageCommand.self, ContainerCommand.self, NetworkCLICommand.self, ResetCommand.self, Doctor.self,
        ],
        defaultSubcommand: Repl.self
    )

    /// The release, as `boxlab --version` prints it and scripts/build-deb names the package.
    static let version = "0.1.0"
}
