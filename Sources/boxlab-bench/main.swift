import CBench
import Foundation
import Glibc
import Kernel
import Lab

// boxlab-bench: how long BoxLab takes to start and to check a step, and how much memory it
// needs, each next to the floor it cannot go below, measured side by side in one run.
// scripts/bench builds it and runs it inside `boxlab sandbox --trusted`.

signal(SIGPIPE, SIG_IGN)  // a child that died with its stdin open must not take us with it
Alarm.install()
_ = bench_become_subreaper()  // so that a killed REPL's worker is reaped here (Spawned.kill)

let options: BenchOptions
do { options = try BenchOptions.parse(Array(CommandLine.arguments.dropFirst())) } catch {
    FileHandle.standardError.write(Data("boxlab-bench: \(error)\n".utf8))
    exit(2)
}

// The REPLs and batch runs it starts make mounts, and so does the in-process evaluation:
// only inside a BoxLab sandbox (scripts/bench runs it in `boxlab sandbox --trusted`), which marks its
// processes with the inode of its mount namespace.
guard getuid() == 0 else {
    FileHandle.standardError.write(Data("boxlab-bench: run as root (scripts/bench)\n".utf8))
    exit(2)
}
guard let own = ProcessTable.namespace("mnt", of: nil),
      ProcessInfo.processInfo.environment["BOXLAB_SANDBOX_NS"] == String(own) else {
    FileHandle.standardError.write(Data("boxlab-bench: run it inside a sandbox, so nothing touches the host's mounts: boxlab sandbox --trusted -- boxlab-bench …  (scripts/bench does)\n".utf8))
    exit(2)
}

let labs = options.labs ?? LabCatalog.locate().directory
let work: String
if let given = options.work {
    work = given + "/bench"
} else {
    var template = Array("/tmp/boxlab-bench-XXXXXX".utf8CString)
    work = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)) }
}
try? FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)

say("BoxLab benchmark (N=\(options.runs), interleaved; median / p90)")
say("machine: \(Machine.summary)")
say("boxlab:  \(options.boxlab)")

var ok = true
if options.sections.contains("start") { ok = StartupBench(options: options, labs: labs, work: work).run() && ok }
if options.sections.contains("evaluate") { ok = EvaluationBench(options: options, labs: labs, work: work).run() && ok }
if options.sections.contains("memory") { ok = MemoryBench(options: options, labs: labs, work: work).run() && ok }
if options.sections.contains("wiring") { ok = WiringBench(options: options, labs: labs, work: work).run() && ok }
if options.sections.contains("launch") { ok = LaunchBench(options: options).run() && ok }
if options.sections.contains("nat") { ok = NATBench(options: options, work: work).run() && ok }
if options.sections.contains("dns") { ok = DNSBench(options: options, work: work).run() && ok }
if options.sections.contains("flannel") { ok = FlannelBench(options: options, work: work).run() && ok }
if options.sections.contains("view") { ok = ViewBench(options: options, labs: labs, work: work).run() && ok }
if options.sections.contains("container") { ok = ContainerBench(options: options, work: work).run() && ok }
try? FileManager.default.removeItem(atPath: work)

say("")
say(Notes.text)
exit(ok ? 0 : 1)
