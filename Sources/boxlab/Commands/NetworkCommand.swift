import ArgumentParser
import Lab

/// The lab command `network`, from the shell: `boxlab network create|connect|disconnect|ls|rm`.
struct NetworkCLICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "network",
        abstract: "Make user-defined networks as docker network does (bridge driver), and attach running containers to them.",
        discussion: """
        usage: boxlab network create [--subnet A.B.C.D/L] [--gateway A.B.C.D] NAME
               boxlab network connect [--ip A.B.C.D/L] [--alias NAME]... NETWORK CONTAINER
               boxlab network disconnect NETWORK CONTAINER
               boxlab network ls
               boxlab network rm NAME

        create: a bridge NAME with the gateway's address, up, recorded as user-defined \
        (subnet: the next free 172.N.0.0/16 unless given; gateway: its first address). A \
        container on a user-defined network gets Docker's embedded resolver at 127.0.0.11, \
        which answers the names of the containers it shares a network with. connect: a veth \
        pair, ethN in the running container, its host end on the bridge. Everything goes \
        with `boxlab reset`.
        """
    )

    @Argument(parsing: .captureForPassthrough, help: "create …, connect …, disconnect …, ls or rm …")
    var arguments: [String] = []

    func run() throws {
        try requireRoot()
        let status = runStandalone(["network"] + arguments)
        if status != 0 { throw ExitCode(status) }
    }
}
