#if canImport(Glibc)
import Glibc
#endif
import Etcd
import Kernel

// boxlab-flannel --etcd-endpoints URL --iface NAME [--etcd-prefix /coreos.com/network]
//     [--subnet-file /run/flannel/subnet.env] [--subnet-lease-ttl 86400] [--vni 1] [--port 8472]
//
// flanneld's vxlan backend, BoxLab's version, in the network namespace it was started in
// (a host's). It logs one line per event to stderr, as flanneld does. When it holds its
// lease, has configured flannel.1 and docker0, written the subnet file and programmed the
// leases present at start, it writes one line, `ready 172.18.1.0/24`, to stdout and closes
// it: BoxLab's `flannel` command waits for that line. It ends on SIGTERM (the default action:
// it holds nothing but its lease, which it leaves to expire, as flanneld does).

do {
    let options = try Options(Array(CommandLine.arguments.dropFirst()))
    var agent = try Agent(options: options)
    try agent.start()
    let revision = try agent.synchronise()
    StandardStream.output.write("ready \(agent.lease!.subnet)\n")
    // The line said it all: stdout closes, and /dev/null takes its number (the lowest free).
    var output = FileDescriptor(rawValue: StandardStream.output.rawValue)
    try? output.close()
    _ = try? FileSystem.open("/dev/null", flags: O_WRONLY | O_CLOEXEC)
    Log.info("Running backend; watching \(agent.leasesDirectory)")
    agent.run(from: revision)
} catch let error as UsageError {
    // The error last: BoxLab's `flannel` command reports the log's last line.
    StandardStream.error.write("\(Options.usage)\nboxlab-flannel: \(error.message)\n")
    exit(2)
} catch {
    Log.error("\(error)")
    exit(1)
}
