#if canImport(Glibc)
import Glibc
#endif

// `container run` is measured by how fast a container starts: it skips ArgumentParser,
// whose reflection over the command tree costs more than the container's own calls.
let arguments = CommandLine.arguments.dropFirst()
if arguments.starts(with: ["container", "run"]), !arguments.contains(where: { $0 == "--help" || $0 == "-h" }) {
    exit(ContainerRunCommand.run(Array(arguments.dropFirst(2))))
}
BoxLab.main()
