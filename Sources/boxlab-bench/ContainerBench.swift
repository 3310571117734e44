import CBench
import Foundation
import Glibc
import Kernel
import Lab

/// (f) A whole container, start to exit: `/bin/true` in new mount, UTS, IPC, PID and network
/// namespaces, on an overlay root of the labs' busybox image, with /proc, /dev, /dev/pts,
/// /dev/shm and a read-only /sys, in a cgroup of its own, with Docker's defaults: its
/// capabilities, its default seccomp profile's denials and no no_new_privs.
/// `boxlab container run` against crun and runc (Debian's) running the same container from
/// an OCI bundle (the same calls as OCI seccomp rules, which they compile with libseccomp),
/// and `unshare … chroot` as the floor (the namespaces and a root, nothing else). Then
/// boxlab and crun again without a filter (`--security-opt seccomp=unconfined`, a bundle
/// without `linux.seccomp`): what the filter costs each.
///
/// The runtimes get the overlay already mounted (containerd mounts it for them); boxlab
/// mounts its own, on a tmpfs for the container's own layer, every run. The lab
/// command `container run` in a running session (the REPL's case: no process to start) is a
/// row of its own, the same code without the start of a Swift process.
struct ContainerBench {
    let options: BenchOptions
    let work: String

    /// The boxlab processes it starts keep their run directory here, not in the one of the
    /// sandbox the bench runs in (whose ledger the sandbox's own cleanup needs).
    private var runDirectory: String { work + "/container/run" }

    /// This process's environment, with boxlab's run directory moved to `runDirectory`.
    private var environment: [String] {
        var variables = ProcessInfo.processInfo.environment
        variables["BOXLAB_RUN_DIR"] = runDirectory
        return variables.map { "\($0.key)=\($0.value)" }
    }

    func run() -> Bool {
        Table.section("A container running /bin/true: five new namespaces, an overlay root from the busybox image, /proc, /dev, /sys, a cgroup, Docker's capabilities and default seccomp filter (\(options.runs) rounds interleaved; median / p90)")
        guard let crun = which("crun"), let runc = which("runc"), let unshare = which("unshare"), let chroot = which("chroot") else {
            Table.failed("container", BenchError("crun, runc, unshare or chroot is missing: scripts/bench installs crun and runc (apt-get install crun runc)"))
            return false
        }
        let directory = work + "/container"
        let image = directory + "/image", store = directory + "/store", bundle = directory + "/bundle", rootfs = bundle + "/rootfs"
        let unconfined = directory + "/bundle-unconfined"
        var mounted = false
        let session = Workbench(run: RunDirectory(path: directory + "/session"), isolation: .host)
        defer {
            if mounted { try? Mounts.unmount(rootfs, flags: .detach) }
            _ = try? output([options.boxlab, "reset"])
            _ = Reset(run: session.run).perform()
        }
        let results: [String: Result<Samples, BenchError>]
        do {
            for path in [directory, bundle, rootfs, bundle + "/upper", bundle + "/work", unconfined] { try FileSystem.mkdir(path) }
            _ = try output([options.boxlab, "image", "build", image])
            let unpacked = try output([options.boxlab, "image", "unpack", image, store])
            guard let lowerdir = unpacked.split(separator: "\n").first(where: { $0.hasPrefix("lowerdir=") }) else {
                throw BenchError("boxlab image unpack printed no lowerdir: \(unpacked)")
            }
            try Mounts.mount(source: "overlay", target: rootfs, fstype: "overlay", flags: [],
                             data: "\(lowerdir),upperdir=\(bundle)/upper,workdir=\(bundle)/work")
            mounted = true
            try writeConfig(bundle: bundle, root: "rootfs", cgroup: "boxlab-bench-\(getpid())", seccomp: .dockerDefault)
            try writeConfig(bundle: unconfined, root: rootfs, cgroup: "boxlab-bench-unconfined-\(getpid())", seccomp: nil)
            if let note = try hideHybridCgroup2() { say(note) }

            try Workbench.prepareHostDirectories(session.run)
            let workspace = Workspace(root: directory)
            let line = "container run --store \(store) \(image) /bin/true"
            var quiet = try FileSystem.open("/dev/null", flags: O_RDWR | O_CLOEXEC)
            defer { try? quiet.close() }
            func timed(_ arguments: [String]) -> () throws -> Double {
                { [quiet] in try time { try spawnAndWait(arguments, quiet: quiet) } }
            }
            results = Interleaved(variants: [
                .init(name: "boxlab", measure: timed([options.boxlab, "container", "run", "--store", store, image, "/bin/true"])),
                .init(name: "session", measure: {
                    try time {
                        // The bench's own line on the host, as a trusted lab's would be.
                        let outcome = CommandRunner.run(line, workspace: workspace, workbench: session, reach: .machine)
                        if let error = outcome.error { throw BenchError("\(line): \(error)") }
                    }
                }),
                .init(name: "crun", measure: timed([crun, "--root", directory + "/crun", "run", "-b", bundle, "boxlab-bench"])),
                .init(name: "runc", measure: timed([runc, "--root", directory + "/runc", "run", "-b", bundle, "boxlab-bench"])),
                .init(name: "floor", measure: timed([unshare, "-m", "-u", "-i", "-n", "-p", "-f", chroot, rootfs, "/bin/true"])),
                .init(name: "boxlab-unconfined", measure: timed([options.boxlab, "container", "run", "--store", store, "--security-opt", "seccomp=unconfined", image, "/bin/true"])),
                .init(name: "crun-unconfined", measure: timed([crun, "--root", directory + "/crun", "run", "-b", unconfined, "boxlab-bench-unconfined"])),
            ]).run(rounds: options.runs)
        } catch {
            Table.failed("container", BenchError(error))
            return false
        }
        var ok = true
        func row(_ name: String, _ label: String, _ note: (Samples) -> String) {
            switch results[name] {
            case .success(let samples)?: Table.row(label, Table.medianAndP90(samples), note(samples))
            case .failure(let error)?: Table.failed(label, error); ok = false
            case nil: break
            }
        }
        let boxlab = (try? results["boxlab"]?.get())?.median ?? .nan
        row("boxlab", "boxlab container run (a process, its trace to /dev/null)", { _ in "" })
        row("session", "container run in a running session (in-process, traced)", { _ in "" })
        let inSession = (try? results["session"]?.get())?.median ?? .nan
        row("crun", "crun run (OCI bundle, the same denials as OCI seccomp rules, overlay mounted beforehand)", {
            "boxlab/crun median ratio \(String(format: "%.2f", boxlab / $0.median)); in a session \(String(format: "%.2f", inSession / $0.median))"
        })
        row("runc", "runc run (the same bundle)", { "boxlab/runc median ratio \(String(format: "%.2f", boxlab / $0.median))" })
        row("floor", "unshare -m -u -i -n -p -f chroot ROOTFS true (floor)", { "no cgroup, /dev, /sys, capabilities or filter; boxlab takes \(Table.ratio(boxlab, to: $0.median))" })
        let plainBoxlab = (try? results["boxlab-unconfined"]?.get())?.median ?? .nan
        let filteredCrun = (try? results["crun"]?.get())?.median ?? .nan
        row("boxlab-unconfined", "boxlab container run --security-opt seccomp=unconfined", { _ in "boxlab's filtered run takes \(Table.ratio(boxlab, to: plainBoxlab)) this one" })
        row("crun-unconfined", "crun run, a bundle without linux.seccomp", {
            "boxlab/crun median ratio \(String(format: "%.2f", plainBoxlab / $0.median)), neither filtered; crun's filtered run takes \(Table.ratio(filteredCrun, to: $0.median)) this one"
        })
        return ok
    }

    /// The OCI runtime spec config for the same container: the namespaces, mounts and
    /// capabilities that `boxlab container run` gives, no no_new_privs (Docker's default),
    /// and a cgroup; with `seccomp`, its rules as the spec's `linux.seccomp` (the default
    /// action, then the calls of each rule with its errno).
    private func writeConfig(bundle: String, root: String, cgroup: String, seccomp: SeccompProfile?) throws {
        let capabilities = Capability.containerDefaults.map(\.name)
        var config: [String: Any] = [
            "ociVersion": "1.0.2",
            "process": [
                "terminal": false, "user": ["uid": 0, "gid": 0], "args": ["/bin/true"], "cwd": "/",
                "env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
                "capabilities": ["bounding": capabilities, "effective": capabilities, "permitted": capabilities, "inheritable": capabilities],
                "noNewPrivileges": false,
            ],
            "root": ["path": root, "readonly": false],
            "hostname": "box",
            "mounts": [
                ["destination": "/proc", "type": "proc", "source": "proc", "options": ["nosuid", "noexec", "nodev"]],
                ["destination": "/dev", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "strictatime", "mode=755", "size=65536k"]],
                ["destination": "/dev/pts", "type": "devpts", "source": "devpts", "options": ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"]],
                ["destination": "/dev/shm", "type": "tmpfs", "source": "shm", "options": ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]],
                ["destination": "/sys", "type": "sysfs", "source": "sysfs", "options": ["nosuid", "noexec", "nodev", "ro"]],
            ],
            "linux": [
                "namespaces": ["pid", "network", "ipc", "uts", "mount"].map { ["type": $0] },
                "cgroupsPath": "/" + cgroup,
                "resources": ["pids": ["limit": 100]],
            ],
        ]
        var linux = config["linux"] as? [String: Any] ?? [:]
        if let seccomp {
            func action(_ action: SeccompAction) throws -> [String: Any] {
                if action == .allow { return ["action": "SCMP_ACT_ALLOW"] }
                guard action.rawValue & 0xffff_0000 == 0x0005_0000 else { throw BenchError("the bench's OCI profile takes allow and errno rules, not \(action)") }
                return ["action": "SCMP_ACT_ERRNO", "errnoRet": Int(action.rawValue & 0xffff)]
            }
            linux["seccomp"] = [
                "defaultAction": try action(seccomp.defaultAction)["action"]!,
                "architectures": ["SCMP_ARCH_X86_64"],
                "syscalls": try seccomp.rules.map { rule in try action(rule.action).merging(["names": rule.calls.map(\.name)]) { $1 } },
            ]
        }
        config["linux"] = linux
        let data = try JSONSerialization.data(withJSONObject: config, options: [.sortedKeys])
        try FileSystem.writeFile(bundle + "/config.json", Array(data))
    }

    /// crun 1.8.1 refuses a hybrid layout (cgroup v1 controllers beside a cgroup2 mount with
    /// none): the cgroup2 mount is detached in this process's mount namespace (the bench's
    /// sandbox), for all the rows alike. Returns what was done, if anything.
    private func hideHybridCgroup2() throws -> String? {
        let layout = try CgroupLayout.detect()
        guard layout.mode == .hybrid else { return nil }
        let unified = layout.hierarchies.filter { $0.version == .v2 }.map(\.mountPoint)
        for mountPoint in unified { try Mounts.unmount(mountPoint, flags: .detach) }
        return "  (hybrid cgroups: \(unified.joined(separator: ", ")) detached in the bench's sandbox, as crun 1.8.1 needs; every row runs on the v1 controllers)"
    }

    /// Runs a program to its end, its output to `quiet`; a failure is an error.
    private func spawnAndWait(_ arguments: [String], quiet: FileDescriptor) throws {
        let fd = quiet.rawValue
        let pid = withCStrings(arguments) { argv in withCStrings(environment) { envp in bench_spawn(arguments[0], argv, envp, fd, fd, fd) } }
        guard pid > 0 else { throw BenchError("cannot start \(arguments[0]): errno \(-pid)") }
        let termination = try ChildProcess.wait(pid)
        guard termination.succeeded else { throw BenchError("\(arguments.joined(separator: " ")) ended with \(termination)") }
    }

    /// Runs a program to its end and returns its standard output.
    private func output(_ arguments: [String]) throws -> String {
        let child = try Spawned.start(arguments, environment: environment)
        let text = { String(decoding: child.received, as: UTF8.self) }
        guard try child.finish(deadline: Clock.now() + options.timeout).succeeded else {
            throw BenchError("\(arguments.joined(separator: " ")) failed: \(text())")
        }
        return text()
    }

    private func time(_ body: () throws -> Void) throws -> Double {
        let start = Clock.now()
        try body()
        return Double(Clock.since(start))
    }
}
