import ArgumentParser
import FoundationEssentials
import Glibc
import Lab

struct ContainerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "container",
        abstract: "Run a program in a container made from an OCI image, the way a runtime does it, with its trace.",
        subcommands: [ContainerRunCommand.self]
    )
}

/// The lab command `container run`, in the terminal: the program gets this terminal, the
/// system calls go to standard error as they are made, and boxlab exits as the program did.
struct ContainerRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run PROGRAM (default /bin/sh) in a new container from the image in IMAGE.",
        discussion: """
        usage: boxlab container run [--name NAME] [--hostname NAME] [--memory SIZE] [--pids N] \
        [--cpus N] [--network none|host|BRIDGE] [--ip ADDRESS/LENGTH] [--network-alias NAME]... \
        [--link NAME[:ALIAS]]... [-v SOURCE:TARGET[:ro]]... [--store DIR] [--cap-add CAP]... \
        [--cap-drop CAP|ALL]... [--privileged] [--read-only] \
        [--security-opt no-new-privileges[=true|false]|seccomp=default|PROFILE|unconfined]... \
        IMAGE [PROGRAM [ARG...]]

        New mount, UTS, IPC, PID and network namespaces; an overlay root from the image's \
        layers (unpacked once per digest); /proc, /dev, /dev/pts, /dev/shm, a read-only /sys; \
        /etc/hosts, /etc/hostname and /etc/resolv.conf bound from its directory; volumes; pivot_root; a cgroup with the limits; a veth on the bridge; Docker's \
        14 capabilities and its default seccomp profile's denials (mount, unshare, module \
        loading, the clock, reboot… fail with EPERM), no_new_privs off as in Docker; \
        --privileged keeps every capability and loads no filter. Everything it makes goes when the program ends, or \
        with `boxlab reset`.
        """
    )

    @Argument(parsing: .captureForPassthrough, help: "The options, the image and the program.")
    var arguments: [String] = []

    func run() throws {
        let status = Self.run(arguments)
        if status != 0 { throw ExitCode(status) }
    }

    /// Runs the container; the status to exit with. main.swift calls this directly, without
    /// ArgumentParser's reflection over the command tree: a container's start-up time is
    /// what this command is measured by.
    static func run(_ arguments: [String]) -> Int32 {
        guard getuid() == 0 else {
            printError("must run as root, since it makes mounts and namespaces: sudo boxlab container run …")
            return 2
        }
        return runStandalone(["container", "run"] + arguments)
    }
}
