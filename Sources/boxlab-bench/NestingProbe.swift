import Foundation
import Glibc
import Kernel

/// Can a session sandbox be made from inside this one, from every CPU?
///
/// The REPL keeps its sandbox by bind-mounting its new mount namespace's nsfs file in the
/// namespace it started in: here, the `boxlab sandbox` the benchmark runs in. The kernel
/// refuses (EINVAL) to bind a mount namespace into one that is not older than it, and on
/// Linux 6.18 "older" is a comparison of namespace ids, which are handed out from per-CPU
/// batches: a namespace made on one CPU can get a smaller id than one made earlier on
/// another. So whether the REPL can start in here depends on which CPU this sandbox was
/// made on. The probe persists a new namespace from each CPU (util-linux `unshare
/// --mount=FILE`, pinned with `taskset`); scripts/bench makes the sandbox again, pinned to
/// another CPU, when one is refused.
enum NestingProbe {
    /// The CPUs from which a nested namespace could not be persisted (empty: all fine).
    static func refusingCPUs(work: String, timeout: UInt64) throws(BenchError) -> [Int] {
        guard let unshare = which("unshare"), let taskset = which("taskset") else { return [] }
        let directory = work + "/nesting-probe"
        let file = directory + "/mnt"
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            // As Sandbox.prepare does: a private mount holding the file the namespace is bound on.
            try Mounts.mount(source: directory, target: directory, fstype: nil, flags: .bind, data: nil)
            try Mounts.mount(source: nil, target: directory, fstype: nil, flags: .private, data: nil)
            try FileSystem.writeFile(file, [])
        } catch {
            throw BenchError("cannot prepare the nesting probe in \(directory): \(error)")
        }
        defer {
            try? Mounts.unmount(directory, flags: .detach)
            try? FileManager.default.removeItem(atPath: directory)
        }
        var refused: [Int] = []
        for cpu in 0..<Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))) {
            let child = try Spawned.start([taskset, "-c", String(cpu), unshare, "--mount=" + file, "true"],
                                          environment: ["PATH=/usr/sbin:/usr/bin:/sbin:/bin"])
            let exit = try child.finish(deadline: Clock.now() + timeout)
            if exit.succeeded {
                try? Mounts.unmount(file, flags: .detach)
            } else {
                refused.append(cpu)
            }
        }
        return refused
    }
}
