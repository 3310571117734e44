import Foundation
import Glibc
import Kernel
import Testing

/// `boxlab container run`: a container from the busybox image, checked from inside (what its
/// own ps, mount and /proc say) and from outside (its cgroup, what is left afterwards).
@Suite(.enabled(if: Harness.isRoot, "needs root: makes namespaces, mounts and cgroups"))
struct ContainerTests {
    /// The labs' image, built into the test's directory.
    private func image(_ harness: Harness) throws -> String {
        let path = harness.base + "/image"
        let built = try harness.boxlab("image", "build", path)
        #expect(built.status == 0, "\(built.output)")
        return path
    }

    @Test("inside: PID 1, its own processes, its own mount table and hostname, Docker's capabilities")
    func inside() throws {
        let harness = Harness()
        let image = try image(harness)
        let result = try harness.boxlab("container", "run", "--hostname", "inside", image, "/bin/sh", "-c",
                                        "echo pid $$; ps; mount; hostname; grep CapBnd /proc/self/status; cat /etc/motd; ls /etc")
        #expect(result.status == 0, "\(result.output)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "pid 1")
        // Only the shell and ps: nothing of the host's.
        let processes = lines.drop { !$0.hasPrefix("PID") }.dropFirst().prefix { $0.first == " " }
        #expect(processes.count == 2, "\(result.stdout)")
        #expect(lines.contains { $0.hasPrefix("overlay on / type overlay") })
        for mount in ["proc on /proc type proc", "tmpfs on /dev type tmpfs", "devpts on /dev/pts type devpts", "shm on /dev/shm type tmpfs", "sysfs on /sys type sysfs (ro"] {
            #expect(lines.contains { $0.hasPrefix(mount) }, "\(mount) in \(result.stdout)")
        }
        // Nothing of the host's mount table is left after pivot_root (the overlay's options name its layers).
        #expect(!lines.contains { $0.contains(harness.base) && !$0.hasPrefix("overlay on /") }, "\(result.stdout)")
        #expect(lines.contains("inside"))
        #expect(lines.contains("CapBnd:\t00000000a80425fb"), "Docker's 14 capabilities")
        #expect(lines.contains("hello from layer 2"))
        // Layer 2's whiteout hides the image's /etc/hostname; Docker's file is bound there anyway.
        #expect(lines.contains("hostname") && lines.contains("resolv.conf") && lines.contains("hosts"), "\(result.stdout)")
        // The trace shows the sequence, in a runtime's order: into the cgroup before anything
        // runs (cloned into a v2 group; joining v1 groups by writing 0 to their tasks).
        let v2 = try CgroupLayout.detect().hierarchy(for: .memory)?.version == .v2
        let placement = v2 ? ["clone3({flags=CLONE_NEWNS|"] : ["/tasks\", O_WRONLY|O_CLOEXEC) = ", "clone(", "] write("]
        let order = placement + ["] mount(\"overlay\"", "] pivot_root(\".\", \".\")", "] umount2(\".\", MNT_DETACH)", "] sethostname(\"inside\"", "] seccomp(SECCOMP_SET_MODE_FILTER", "] capset(", "] execve(\"/bin/sh\""]
        let positions = order.map { result.stderr.range(of: $0)?.lowerBound }
        #expect(positions.allSatisfy { $0 != nil }, "\(result.stderr)")
        #expect(positions.compactMap { $0 }.sorted() == positions.compactMap { $0 })
        try harness.resetAndExpectNothingLeft()
    }

    @Test("limits: memory past the limit is OOM-killed, the exit status comes through, and a volume is shared")
    func limitsAndVolumes() throws {
        let harness = Harness()
        let image = try image(harness)
        let data = harness.base + "/data", readOnly = harness.base + "/ro"
        try FileSystem.mkdir(data)
        try FileSystem.mkdir(readOnly)
        let hog = try harness.boxlab("container", "run", "--memory", "32M", image, "dd", "if=/dev/zero", "of=/dev/null", "bs=100M", "count=1")
        #expect(hog.status == 128 + SIGKILL, "\(hog.output)")
        let exited = try harness.boxlab("container", "run", "--pids", "5", "-v", data + ":/data", "-v", readOnly + ":/ro:ro", image, "/bin/sh", "-c",
                                        "echo shared > /data/note; echo x > /ro/x; exit 3")
        #expect(exited.status == 3, "\(exited.output)")
        #expect(try String(contentsOfFile: data + "/note", encoding: .utf8) == "shared\n")
        #expect(exited.stderr.contains("Read-only file system"), "\(exited.stderr)")
        #expect(!FileManager.default.fileExists(atPath: readOnly + "/x"))
        // A finished container takes its directory and cgroup with it.
        #expect((try? FileManager.default.contentsOfDirectory(atPath: harness.runDir + "/containers")) == [])
        #expect(harness.cgroupsOfOurs().allSatisfy { $0.hasSuffix("-containers") }, "\(harness.cgroupsOfOurs())")
        try harness.resetAndExpectNothingLeft()
    }

    @Test("on a bridge: reachable at its address, with its default route via the bridge; wired the same in its own user namespace",
          arguments: [[], ["--userns", "remap"]])
    func bridge(userns: [String]) throws {
        let harness = Harness()
        let image = try image(harness)
        // The container's root must reach the run directory (see userNamespace).
        if !userns.isEmpty { try FileSystem.chmod(harness.base, permissions: 0o755) }
        // The two cases run at once in the suite's network namespace: a bridge, a subnet and a name each.
        let (name, net) = userns.isEmpty ? ("box", "172.31") : ("boxu", "172.30")
        // The test runs in the suite's sandbox: this bridge is in its network namespace.
        let netlink = try RouteNetlink()
        let bridge = "br-t\(getpid() % 100_000)" + (userns.isEmpty ? "" : "u")
        try netlink.addLink(bridge, .bridge)
        defer { try? netlink.deleteLink(.name(bridge)) }
        try netlink.addAddress(IPPrefix(net + ".0.1/16")!, to: .name(bridge))
        try netlink.setLink(.name(bridge), [.up])
        let result = try harness.run(harness.process(["container", "run", "--name", name, "--network", bridge, "--ip", net + ".0.2/16"] + userns + [image, "/bin/sh", "-c",
                                                      "ip route; ping -c 1 -W 3 \(net).0.1"]))
        #expect(result.status == 0, "\(result.output)")
        #expect(result.stdout.contains("default via \(net).0.1 dev eth0"), "\(result.stdout)")
        #expect(result.stdout.contains("1 packets received"), "\(result.stdout)")
        // The host end goes with the container's namespace, which the kernel frees asynchronously.
        #expect(harness.waitFor(10) { !((try? netlink.links()) ?? []).contains { $0.name == "vb-" + name } })
        try harness.resetAndExpectNothingLeft()
    }

    @Test("runc's defaults: masked and read-only /proc paths, and only Docker's devices may be opened")
    func runcDefaults() throws {
        let harness = Harness()
        let image = try image(harness)
        // Nothing is written to /proc: the mounts are read from mountinfo. The probe is a tun
        // node in the container's own /dev, which only the device rules keep it from opening.
        let result = try harness.boxlab("container", "run", "--hostname", "defaults", image, "/bin/sh", "-c", """
            cat /proc/self/mountinfo
            echo "timer_list $(cat /proc/timer_list | busybox wc -c)"
            busybox mknod /dev/probe c 10 200 && echo made
            cat /dev/probe
            echo x > /dev/null && echo null works
            echo "zero $(head -c 4 /dev/zero | busybox wc -c)"
            """)
        #expect(result.status == 0, "\(result.output)")
        // mountinfo: ID PARENT MAJOR:MINOR ROOT MOUNT-POINT OPTIONS ... - TYPE SOURCE SUPER-OPTIONS
        let mounts = result.stdout.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }.filter { $0.count > 6 }
        func mount(_ point: String) -> [String]? { mounts.last { $0[4] == point } }
        for file in ["/proc/timer_list", "/proc/keys"] {
            let line = try #require(mount(file), "\(file) masked in \(result.stdout)")
            #expect(line[3] == "/null" && line.contains("tmpfs"), "\(file) is /dev/null bound over it: \(line)")
        }
        for directory in ["/proc/acpi", "/sys/firmware"] where FileManager.default.fileExists(atPath: directory) {
            let line = try #require(mount(directory), "\(directory) masked in \(result.stdout)")
            #expect(line[5].hasPrefix("ro,") && line.contains("tmpfs"), "\(directory) is a read-only tmpfs: \(line)")
        }
        for path in ["/proc/sys", "/proc/sysrq-trigger", "/proc/irq", "/proc/bus", "/proc/fs"] where FileManager.default.fileExists(atPath: path) {
            let line = try #require(mount(path), "\(path) read-only in \(result.stdout)")
            #expect(line[5].hasPrefix("ro,nosuid,nodev,noexec"), "\(path): \(line)")
        }
        let options = ["/dev/mqueue": "rw,nosuid,nodev,noexec", "/dev/shm": "rw,nosuid,nodev,noexec", "/sys": "ro,nosuid,nodev,noexec", "/proc": "rw,nosuid,nodev,noexec"]
        for (point, flags) in options { #expect(mount(point)?[5].hasPrefix(flags) == true, "\(point) \(flags): \(mount(point) ?? [])") }
        #expect(result.stdout.contains("timer_list 0"), "\(result.stdout)")
        // mknod is allowed (c *:* m, as Docker gives it), opening is not.
        #expect(result.stdout.contains("made") && result.stderr.contains("can't open '/dev/probe': Operation not permitted"), "\(result.output)")
        #expect(result.stdout.contains("null works") && result.stdout.contains("zero 4"), "\(result.stdout)")
        // runc's order: the device rules before the clone; read-only paths, then masked ones, after the hostname.
        let v1 = try CgroupLayout.detect().hierarchy(for: .devices)?.version == .v1
        let rules = v1 ? ["/devices.deny\", O_WRONLY", "\"a\", 1)", "\"c 136:* rwm\""] : ["bpf(BPF_PROG_LOAD, {prog_type=BPF_PROG_TYPE_CGROUP_DEVICE", "bpf(BPF_PROG_ATTACH"]
        let order = rules + ["] sethostname(\"defaults\"", "] mount(\"/proc/bus\", \"/proc/bus\", NULL, MS_BIND|MS_REC", "MS_RDONLY|MS_NOSUID|MS_NODEV|MS_NOEXEC|MS_REMOUNT|MS_BIND",
                             "] mount(\"/dev/null\", \"/proc/kcore\"", "] capset("]
        let positions = order.map { result.stderr.range(of: $0)?.lowerBound }
        #expect(positions.allSatisfy { $0 != nil }, "\(order) in \(result.stderr)")
        #expect(positions.compactMap { $0 }.sorted() == positions.compactMap { $0 })
        try harness.resetAndExpectNothingLeft()
    }

    @Test("a volume target with '..', in /proc, or through a symlink is refused, and nothing is made outside the root")
    func volumeTargets() throws {
        let harness = Harness()
        let image = try image(harness)
        let data = harness.base + "/data", outside = harness.base + "/outside", store = harness.base + "/store"
        try FileSystem.mkdir(data)
        try FileSystem.mkdir(outside)
        for (target, message) in [("/data/../x", "bad volume target '/data/../x'"), ("/proc/x", "volume target '/proc/x' is in /proc"), ("/", "bad volume target '/'")] {
            let result = try harness.run(harness.process(["container", "run", "-v", data + ":" + target, image, "/bin/true"]))
            #expect(result.status == 125 && result.stderr.split(separator: "\n").count == 1 && result.stderr.contains(message), "\(target): \(result.stderr)")
        }
        // The image's symlink: an absolute link in the unpacked top layer, to the canary
        // directory. Before pivot_root the host resolves it: a mkdir through it lands outside.
        #expect(try harness.boxlab("image", "unpack", image, store).status == 0)
        for layer in try FileManager.default.contentsOfDirectory(atPath: store + "/sha256") {
            try FileSystem.symlink(outside, at: store + "/sha256/" + layer + "/diff/escape")
        }
        // The volume's own symlink: a second volume mounted through a link in the first.
        let linked = harness.base + "/linked"
        try FileSystem.mkdir(linked)
        try FileSystem.symlink(outside, at: linked + "/link")
        for arguments in [["-v", data + ":/escape/inner"], ["-v", data + ":/escape"], ["-v", linked + ":/linked", "-v", data + ":/linked/link/inner"]] {
            let result = try harness.run(harness.process(["container", "run", "--store", store] + arguments + [image, "/bin/true"]))
            let target = arguments.last!.split(separator: ":").last!
            // The trace goes to stderr too: one line of it is the error.
            #expect(result.status != 0 && result.stderr.split(separator: "\n").filter { $0.contains("boxlab: container: cannot start /bin/true") }.count == 1, "\(arguments): \(result.output)")
            #expect(result.stderr.contains("is not a directory of the container's root reached without a symlink"), "\(target): \(result.stderr)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: outside).isEmpty, "\(arguments) made something in \(outside)")
        }
        // A target below a real directory of the image is made and mounted as before.
        let fine = try harness.boxlab("container", "run", "--store", store, "-v", data + ":/etc/new/data", image, "/bin/sh", "-c", "echo in > /etc/new/data/note")
        #expect(fine.status == 0, "\(fine.output)")
        #expect(FileManager.default.fileExists(atPath: data + "/note"))
        try harness.resetAndExpectNothingLeft()
    }

    @Test("the device program: the verifier accepts it, and in a cgroup2 group it lets a process open /dev/null but not another device")
    func deviceProgram() throws {
        // Any machine with a cgroup2 mount (hybrid ones have it beside v1): the program is
        // attached to a group of the test's own, which goes with it.
        guard let unified = try CgroupLayout.detect().hierarchies.first(where: { $0.version == .v2 }),
              FileManager.default.fileExists(atPath: "/dev/net/tun") else { return }
        let directory = unified.ownDirectory + "/boxlab-test-devices-\(getpid())"
        try FileSystem.mkdir(directory)
        defer { try? FileSystem.rmdir(directory) }
        try Cgroup(places: [.pids: Cgroup.Place(version: .v2, directory: directory)]).allowOnlyDevices(DeviceRule.containerDefaults)
        // The shell enters the group, then tries: /dev/null is allowed, the host's tun node
        // (opened, never configured: harmless) is not.
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/sh")
        shell.arguments = ["-c", "echo $$ > \(directory)/cgroup.procs && cat /dev/null && echo null works; cat /dev/net/tun"]
        let errors = Pipe(), output = Pipe()
        shell.standardError = errors
        shell.standardOutput = output
        try shell.run()
        shell.waitUntilExit()
        let said = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) == "null works\n")
        #expect(said.contains("Operation not permitted"), "\(said)")
    }

    @Test("Docker's defaults as /proc and the program see them: its 14 capabilities, its default profile's denials (EPERM for unshare and mount), no no_new_privs; seccomp=unconfined and --privileged load no filter")
    func dockerDefaults() throws {
        let harness = Harness()
        let image = try image(harness)
        let data = harness.base + "/data"
        try FileSystem.mkdir(data)
        // A user namespace takes no capability: only the filter refuses it. Each error goes
        // into the volume, read once the container (run in the foreground) has ended.
        let probe = """
            grep -E '^(CapEff|NoNewPrivs|Seccomp|Seccomp_filters):' /proc/self/status
            busybox unshare -U true 2> /data/unshare && echo unshared
            busybox mount -t tmpfs t /tmp 2> /data/mount && echo mounted
            echo done
            """
        let result = try harness.boxlab("container", "run", "-v", data + ":/data", image, "/bin/sh", "-c", probe)
        #expect(result.status == 0, "\(result.output)")
        #expect(result.stdout == "CapEff:\t00000000a80425fb\nNoNewPrivs:\t0\nSeccomp:\t2\nSeccomp_filters:\t1\ndone\n", "\(result.stdout)")
        #expect(try String(contentsOfFile: data + "/unshare", encoding: .utf8).contains("unshare(0x10000000): Operation not permitted"))
        #expect(try String(contentsOfFile: data + "/mount", encoding: .utf8).contains("mount: permission denied (are you root?)"))
        // runc's order without no_new_privs: the filter while CAP_SYS_ADMIN is still there, then the capabilities go.
        let order = ["] sethostname(", "] seccomp(SECCOMP_SET_MODE_FILTER, 0, {len=\(SeccompFilter(.dockerDefault).instructions.count), filter=0x…}) = 0",
                     "] prctl(PR_CAPBSET_DROP", "] capset(", "] execve("]
        let positions = order.map { result.stderr.range(of: $0)?.lowerBound }
        #expect(positions.allSatisfy { $0 != nil }, "\(order) in \(result.stderr)")
        #expect(positions.compactMap { $0 }.sorted() == positions.compactMap { $0 })
        #expect(!result.stderr.contains("PR_SET_NO_NEW_PRIVS"), "\(result.stderr)")

        // Unconfined, the same program makes its user namespace: the filter was what refused it.
        let unconfined = try harness.boxlab("container", "run", "--security-opt", "seccomp=unconfined", "-v", data + ":/data", image, "/bin/sh", "-c", probe)
        #expect(unconfined.status == 0, "\(unconfined.output)")
        for line in ["CapEff:\t00000000a80425fb", "NoNewPrivs:\t0", "Seccomp:\t0", "Seccomp_filters:\t0", "unshared", "done"] {
            #expect(unconfined.stdout.contains(line + "\n"), "\(line) in \(unconfined.stdout)")
        }
        #expect(!unconfined.stderr.contains("] seccomp("), "\(unconfined.stderr)")

        // --privileged: every capability the session has, /sys writable, nothing masked, no filter.
        let own = try #require(String(contentsOfFile: "/proc/self/status", encoding: .utf8).split(separator: "\n").first { $0.hasPrefix("CapBnd:") })
        let all = try harness.boxlab("container", "run", "--privileged", image, "/bin/sh", "-c",
                                     "grep -E '^(CapEff|NoNewPrivs|Seccomp):' /proc/self/status; cat /proc/self/mountinfo")
        #expect(all.status == 0, "\(all.output)")
        #expect(all.stdout.contains("CapEff:" + own.dropFirst("CapBnd:".count) + "\n") && all.stdout.contains("NoNewPrivs:\t0\nSeccomp:\t0\n"), "\(own) in \(all.stdout)")
        #expect(!all.stdout.contains(" /proc/kcore ") && !all.stdout.contains(" /proc/sys ") && all.stdout.contains(" /sys rw,"), "\(all.stdout)")
        try harness.resetAndExpectNothingLeft()
    }

    @Test("--cap-drop/--cap-add, --read-only, no-new-privileges and a seccomp profile, as /proc and the program see them")
    func securityOptions() throws {
        let harness = Harness()
        let image = try image(harness)
        let profile = harness.base + "/profile"
        // Errnos the capabilities alone would not give: ENOSYS for unshare (without
        // CAP_SYS_ADMIN it is EPERM), EACCES for mkdir in the writable /dev/shm.
        try "default allow\nerrno ENOSYS: unshare\nerrno EACCES: mkdir mkdirat\n".write(toFile: profile, atomically: true, encoding: .utf8)
        let probe = """
            grep -E '^(CapEff|CapBnd|NoNewPrivs|Seccomp|Seccomp_filters):' /proc/self/status
            touch /x; busybox unshare -u true; mkdir /dev/shm/x; echo done
            """
        let result = try harness.boxlab("container", "run", "--cap-drop", "ALL", "--cap-add", "NET_BIND_SERVICE", "--cap-add", "cap_chown", "--read-only",
                                        "--security-opt", "no-new-privileges", "--security-opt", "seccomp=" + profile, image, "/bin/sh", "-c", probe)
        #expect(result.status == 0, "\(result.output)")
        for line in ["CapEff:\t0000000000000401", "CapBnd:\t0000000000000401", "NoNewPrivs:\t1", "Seccomp:\t2", "Seccomp_filters:\t1", "done"] {
            #expect(result.stdout.contains(line + "\n"), "\(line) in \(result.stdout)")
        }
        for line in ["touch: /x: Read-only file system", "unshare: unshare(0x4000000): Function not implemented", "mkdir: can't create directory '/dev/shm/x': Permission denied"] {
            #expect(result.stderr.contains(line), "\(line) in \(result.stderr)")
        }
        // runc's order: the root read-only after pivot_root, no_new_privs before the
        // capabilities go, then the filter last.
        let order = ["] pivot_root(\".\", \".\")", "] mount(NULL, \"/\", NULL, MS_RDONLY", "] sethostname(", "] prctl(PR_SET_NO_NEW_PRIVS", "] prctl(PR_CAPBSET_DROP", "] capset(",
                     "] seccomp(SECCOMP_SET_MODE_FILTER, 0, {len=13, filter=0x…}) = 0", "] execve("]
        let positions = order.map { result.stderr.range(of: $0)?.lowerBound }
        #expect(positions.allSatisfy { $0 != nil }, "\(order) in \(result.stderr)")
        #expect(positions.compactMap { $0 }.sorted() == positions.compactMap { $0 })

        // Docker's default denials: with CAP_SYS_ADMIN, mount works only without the filter.
        let mountProbe = ["/bin/sh", "-c", "busybox mount -t tmpfs t /tmp && echo mounted"]
        let mounts = try harness.run(harness.process(["container", "run", "--cap-add", "SYS_ADMIN", "--security-opt", "seccomp=unconfined", image] + mountProbe))
        #expect(mounts.status == 0 && mounts.stdout.contains("mounted"), "\(mounts.output)")
        let denied = try harness.run(harness.process(["container", "run", "--cap-add", "SYS_ADMIN", image] + mountProbe))
        #expect(denied.status != 0 && denied.stderr.contains("mount: permission denied (are you root?)"), "\(denied.output)")
        try harness.resetAndExpectNothingLeft()
    }

    @Test("--user 1000:1000: the container's process has those ids and no groups, nothing effective or permitted, Docker's bounding set; a filter still loads")
    func user() throws {
        let harness = Harness()
        let image = try image(harness)
        let fields = "grep -E '^(Uid|Gid|Groups|CapInh|CapPrm|CapEff|CapBnd|NoNewPrivs|Seccomp):' /proc/1/status"
        let result = try harness.boxlab("container", "run", "--user", "1000:1000", image, "/bin/sh", "-c", fields + "; id -u; touch /x || echo refused")
        #expect(result.status == 0, "\(result.output)")
        // No supplementary group: the kernel's line holds none.
        #expect(result.stdout.split(separator: "\n").contains { $0.hasPrefix("Groups:") && $0.dropFirst("Groups:".count).allSatisfy(\.isWhitespace) }, "\(result.stdout)")
        for line in ["Uid:\t1000\t1000\t1000\t1000", "Gid:\t1000\t1000\t1000\t1000", "CapInh:\t0000000000000000", "CapPrm:\t0000000000000000",
                     "CapEff:\t0000000000000000", "CapBnd:\t00000000a80425fb", "NoNewPrivs:\t0", "Seccomp:\t2", "1000", "refused"] {
            #expect(result.stdout.contains(line + "\n"), "\(line) in \(result.stdout)")
        }
        // runc's order: the bounding set, then the ids with the permitted set kept, then the sets.
        let order = ["] prctl(PR_CAPBSET_DROP", "] prctl(PR_SET_KEEPCAPS, 1", "] setgroups(0, [])", "] setresgid(1000, 1000, 1000)", "] setresuid(1000, 1000, 1000)",
                     "] prctl(PR_SET_KEEPCAPS, 0", "] capset({version=_LINUX_CAPABILITY_VERSION_3, pid=0}, {effective=0, permitted=0, inheritable=0})", "] execve("]
        let positions = order.map { result.stderr.range(of: $0)?.lowerBound }
        #expect(positions.allSatisfy { $0 != nil }, "\(order) in \(result.stderr)")
        #expect(positions.compactMap { $0 }.sorted() == positions.compactMap { $0 })
        // A name is the image's: root is in its /etc/passwd.
        let named = try harness.boxlab("container", "run", "--user", "root", image, "/bin/sh", "-c", "grep -E '^(Uid|CapEff):' /proc/1/status")
        #expect(named.status == 0 && named.stdout.contains("Uid:\t0\t0\t0\t0\n") && named.stdout.contains("CapEff:\t00000000a80425fb\n"), "\(named.output)")
        try harness.resetAndExpectNothingLeft()
    }

    @Test("--userns remap: the container's maps, a file it makes in a volume is 100000's, the image's /etc is not its root's to write")
    func userNamespace() throws {
        let harness = Harness()
        let image = try image(harness)
        let shared = harness.base + "/shared"
        try FileSystem.mkdir(shared)
        try FileSystem.lchown(shared, uid: 100_000, gid: 100_000)
        // mkdtemp made the test's directory 0700: the container's root, nobody outside, cannot
        // walk to the run directory below it, which BoxLab says before anything is made.
        let unreachable = try harness.run(harness.process(["container", "run", "--userns", "remap", image, "/bin/true"]))
        #expect(unreachable.status == 125 && unreachable.stderr.contains("container run: --userns: the container's root (100000 outside) cannot reach \(harness.base)/run"), "\(unreachable.output)")
        #expect(!FileManager.default.fileExists(atPath: harness.runDir + "/containers/box"))
        try FileSystem.chmod(harness.base, permissions: 0o755)
        // A read-only volume is remounted keeping the flags the kernel locked on its source's mount.
        try FileSystem.mkdir(harness.base + "/ro")
        let probe = "cat /proc/1/uid_map /proc/1/gid_map; grep -E '^(Uid|CapEff):' /proc/1/status; hostname; touch /shared/made-inside; touch /etc/x || echo etc-refused; touch /ro/x || echo ro-refused"
        let result = try harness.boxlab("container", "run", "--userns", "remap", "--hostname", "mapped", "-v", shared + ":/shared", "-v", harness.base + "/ro:/ro:ro",
                                        image, "/bin/sh", "-c", probe)
        #expect(result.status == 0, "\(result.output)")
        let lines = result.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
        #expect(lines.prefix(2) == ["0 100000 65536", "0 100000 65536"], "\(result.stdout)")
        // Root inside, with Docker's capabilities over its own namespace.
        for line in ["Uid:\t0\t0\t0\t0", "CapEff:\t00000000a80425fb", "mapped", "etc-refused", "ro-refused"] {
            #expect(lines.contains(line), "\(line) in \(result.stdout)")
        }
        #expect(result.stderr.contains("touch: /etc/x: Permission denied") || result.stderr.contains("Read-only file system"), "\(result.stderr)")
        let made = try FileSystem.stat(shared + "/made-inside")
        #expect(made.uid == 100_000 && made.gid == 100_000, "\(made)")
        // Cloned with CLONE_NEWUSER; the parent writes the maps (setgroups stays allowed), then
        // the child becomes the namespace's root before it builds anything.
        let order = ["CLONE_NEWUSER", "/uid_map\", O_WRONLY", "\"0 100000 65536\\n\", 15) = 15", "/gid_map\", O_WRONLY", "] setresuid(0, 0, 0)", "] setresgid(0, 0, 0)", "] mount(\"tmpfs\"", "] mount(\"overlay\"", "] execve("]
        let positions = order.map { result.stderr.range(of: $0)?.lowerBound }
        #expect(positions.allSatisfy { $0 != nil }, "\(order) in \(result.stderr)")
        #expect(positions.compactMap { $0 }.sorted() == positions.compactMap { $0 })
        #expect(!result.stderr.contains("/setgroups"), "\(result.stderr)")
        #expect(result.stderr.contains("userxattr"), "\(result.stderr)")
        try harness.resetAndExpectNothingLeft()
    }

    @Test("lab 13's steps: chown a volume to the remapped root, and the file its container makes is 100000's", arguments: [[], ["--host", "--trust"]])
    func remappedVolume(mode: [String]) throws {
        let harness = Harness()
        // The run directory must be reachable by the container's root (see userNamespace).
        try FileSystem.chmod(harness.base, permissions: 0o755)
        let lab = try harness.writeLab("93-userns.md", """
        ---
        id: 93-userns
        title: A remapped root
        ---
        ## Step 1: A file made by the container's root
        ```run
        image build image
        mkdir shared
        chown 100000:100000 shared
        container run --userns remap -v shared:/shared --store layers image sh -c "touch /shared/made-inside; cat /proc/self/uid_map"
        ```
        ```expect
        owner shared == 100000
        owner shared/made-inside == 100000
        ```
        """)
        let run = try harness.run(harness.process(["run", lab] + mode))
        #expect(run.output.contains("chown(\"") && run.output.contains("\", 100000, 100000) = 0"), "\(run.output.suffix(4000))")
        if mode.isEmpty {
            // The sandbox masks files of its /proc, and the kernel then refuses a new user
            // namespace a proc of its own: said in one line before anything is made.
            #expect(run.output.contains("container run: --userns: no proc here is whole (/proc/"), "\(run.output.suffix(4000))")
        } else {
            #expect(run.status == 0 && run.stdout.contains("✓ all 1 steps passed"), "\(run.output.suffix(4000))")
        }
        try harness.resetAndExpectNothingLeft()
    }

    @Test("bad input is refused with one line before anything is made")
    func badInput() throws {
        let harness = Harness()
        let image = try image(harness)
        let missing = harness.base + "/no-such-image"
        let cases: [([String], String)] = [
            ([missing], "no image at \(missing): \(missing)/index.json does not exist (give an OCI image layout's directory; `boxlab image build DIR` makes one)"),
            (["--frob", image], "container run: unknown option --frob"),
            (["-v", harness.base + "/nowhere:/data", image], "volume source \(harness.base)/nowhere does not exist (make it first"),
            (["-v", "relative", image], "bad volume 'relative'"),
            (["--network", "nosuchbridge", "--ip", "10.9.0.2/24", image], "no bridge named nosuchbridge (make it first"),
            (["--network", "nosuchbridge", image], "--network nosuchbridge needs --ip ADDRESS/LENGTH"),
            (["--memory", "lots", image], "container run: "),
            (["--cap-add", "SYS_NOPE", image], "container run: unknown capability 'SYS_NOPE' in --cap-add (a capability as capabilities(7) names it"),
            (["--security-opt", "apparmor=unconfined", image], "container run: unknown --security-opt 'apparmor=unconfined' (BoxLab knows no-new-privileges"),
            (["--security-opt", "seccomp=" + harness.base + "/no-profile", image], "no-profile: No such file or directory (write the profile first"),
            (["--userns", "1:2:3", image], "container run: bad --userns '1:2:3' (--userns host, remap"),
            // Ids BoxLab's namespace does not have (-1 is no id anywhere; its sandbox has 0–165535 only).
            (["--userns", "4294901760:65536", image], "container run: --userns: outside ids 4294901760–4294967295 are not in BoxLab's own uid_map"),
            (["--userns", "remap", "--network", "host", image], "container run: --network host needs --userns host"),
            (["--user", "1000:", image], "container run: bad --user '1000:'"),
        ]
        for (arguments, message) in cases {
            let result = try harness.run(harness.process(["container", "run"] + arguments))
            #expect(result.status == 125, "\(arguments): \(result.output)")
            let errors = result.stderr.split(separator: "\n")
            #expect(errors.count == 1 && errors[0].contains(message), "\(arguments): \(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: harness.runDir), "\(arguments): made \(harness.runDir)")
            #expect(harness.cgroupsOfOurs().isEmpty, "\(harness.cgroupsOfOurs())")
        }
        // A program the image does not have is found missing once the layers are unpacked,
        // which stay in the store, as a pulled image does; no container or cgroup is made.
        let missingProgram = try harness.run(harness.process(["container", "run", image, "no-such-program"]))
        #expect(missingProgram.status == 125 && missingProgram.stderr.contains("no-such-program: not found in the image"), "\(missingProgram.output)")
        let missingUser = try harness.run(harness.process(["container", "run", "--user", "abc", image, "/bin/true"]))
        #expect(missingUser.status == 125 && missingUser.stderr.contains("container run: no user 'abc' in the image's /etc/passwd"), "\(missingUser.output)")
        #expect(!FileManager.default.fileExists(atPath: harness.runDir + "/containers/box"))
        #expect(harness.cgroupsOfOurs().isEmpty, "\(harness.cgroupsOfOurs())")
        // A blob that does not match its digest, and a missing layer, before anything is unpacked.
        let layout = harness.base + "/broken"
        _ = try harness.boxlab("image", "build", layout)
        let blobs = try FileManager.default.contentsOfDirectory(atPath: layout + "/blobs/sha256").map { layout + "/blobs/sha256/" + $0 }
        let layer = try #require(blobs.max { (try? FileSystem.stat($0).size) ?? 0 < (try? FileSystem.stat($1).size) ?? 0 })
        var bytes = try FileSystem.readFile(layer)
        bytes[bytes.count / 2] ^= 0xff
        try FileSystem.writeFile(layer, bytes)
        var result = try harness.boxlab("container", "run", "--store", harness.base + "/store", layout, "/bin/true")
        #expect(result.status == 125 && result.stderr.contains("layer 1") && result.stderr.contains("was changed or corrupted"), "\(result.stderr)")
        try FileSystem.unlink(layer)
        result = try harness.boxlab("container", "run", "--store", harness.base + "/store", layout, "/bin/true")
        #expect(result.status == 125 && result.stderr.contains("layer 1"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: harness.base + "/store/sha256"))
        try harness.resetAndExpectNothingLeft()
    }

    @Test("SIGKILL of boxlab while its container runs: reset ends the container and removes its cgroup and files")
    func sigkillThenReset() throws {
        let harness = Harness()
        let image = try image(harness)
        let run = harness.process(["container", "run", "--name", "victim", image, "/bin/sh", "-c", "echo started; exec sleep 1000"])
        try run.start()
        #expect(harness.waitFor { run.output.soFar.contains("started") }, "\(run.output.soFar)")
        kill(run.pid, SIGKILL)
        _ = run.wait()
        #expect(FileManager.default.fileExists(atPath: harness.runDir + "/containers/victim"))
        #expect(!harness.processesOfOurs().isEmpty, "the container outlives boxlab until reset")
        try harness.resetAndExpectNothingLeft()
    }

    static let heldLab = """
    ---
    id: 92-held
    title: A process held between clone and exec
    ---
    ## Step 1: Hold it
    ```run
    clone -m -u -i -n -p
    box=$!
    mount --make-rprivate /
    hostname held
    ```
    ```expect
    hostname $box == "held"
    ```
    ## Step 2: Wait
    ```sh
    echo waiting; sleep 120
    ```
    """

    @Test("SIGKILL while a process is held between clone and exec: it ends with BoxLab, and reset leaves nothing", arguments: [["--host", "--trust"], []])
    func heldThenKilled(mode: [String]) throws {
        let harness = Harness()
        let lab = try harness.writeLab("92-held.md", ContainerTests.heldLab)
        try harness.runKilledWhileWaiting(lab, mode)
        try harness.resetAndExpectNothingLeft()
    }

    @Test("the commands of a process being set up: one line each, with the fix")
    func heldBadInput() throws {
        let harness = Harness()
        let result = try harness.boxlab("10-mini-container", "--restart", stdin: """
            pivot_root . .
            exec sh
            chroot /
            clone
            clone -m -g memory:nothere
            clone -m -u
            clone -m
            pivot_root /nowhere /nowhere
            exec no-such-program
            mount -t proc proc /no/such/dir
            exec sleep 1
            container run
            container stop box
            image frob
            clone -u
            kill -9 $!
            sleep 0.3
            hostname held
            quit

            """)
        #expect(result.status == 0)
        harness.expectLines([
            "✗ pivot_root: there is no process being set up",
            "✗ exec: there is no process being set up",
            "✗ chroot: there is no process being set up",
            "✗ clone: no namespace to make",
            "✗ clone: cgroup nothere does not exist in the memory hierarchy",
            "✗ clone: process",
            // Paths the process being set up resolves are held to the lab's rules too.
            "✗ pivot_root: '/nowhere' is outside the workspace (lab paths stay below <ws>;",
            "✗ exec: no-such-program: cannot execute: ENOENT",
            "✗ mount: '/no/such/dir' is outside the workspace (lab paths stay below <ws>;",
            "✗ container run: which image?",
            "✗ container: unknown subcommand 'stop'",
            "✗ image: unknown subcommand 'frob'",
            // A held process killed while it waits is let go: the next command is BoxLab's
            // again (here the sandbox's hostname), and writing to the dead process's socket
            // is no SIGPIPE.
            "killed by SIGKILL",
            "$ hostname held",
        ], in: result.stdout)
        #expect(!result.output.contains("Broken pipe"))
        #expect(!result.output.contains("Fatal error"))
        harness.expectNothingLeft()
    }

    /// Lab 10 in host mode makes a bridge of a fixed name in this namespace, which the suite's
    /// own host-mode run of the lab (LabRunTests) may hold at the same time: its SIGKILL is
    /// tried in its sandbox only here (scripts/test's machine-state diff covers the rest).
    @Test("labs 03 and 10 killed halfway (overlays, a held or running container, a bridge, cgroups): reset leaves nothing",
          arguments: [("03-image-layers", "── Step 4/4", []), ("03-image-layers", "── Step 4/4", ["--host"]),
                      ("10-mini-container", "── Step 6/9", []), ("10-mini-container", "── Step 9/9", [])])
    func labKilledHalfway(lab: String, marker: String, mode: [String]) throws {
        let harness = Harness()
        let run = harness.process(["run", lab] + mode)
        try run.start()
        #expect(harness.waitFor { run.output.soFar.contains(marker) }, "\(run.output.soFar.suffix(2000))")
        harness.killBoxLab(besides: run.pid)
        _ = run.wait()
        let reset = try harness.boxlab("reset")
        #expect(reset.status == 0, "\(reset.output)")
        #expect(harness.waitFor(5) { harness.processesOfOurs().isEmpty }, "\(harness.processesOfOurs())")
        let left = (try? FileManager.default.subpathsOfDirectory(atPath: harness.runDir)) ?? []
        #expect(left.isEmpty, "left in the run directory: \(left); reset said: \(reset.output)")
        harness.expectNothingLeft()
    }
}
