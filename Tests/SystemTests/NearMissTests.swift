import Foundation
import Lab
import Testing

/// For each step of a lab, a realistic mistake made by hand in `boxlab shell` fails that step
/// with `found:` and `cause:` naming it; put right, the step passes and the learner goes on.
@Suite(.enabled(if: Harness.isRoot, "needs root: namespaces and links"))
struct NearMissTests {
    /// One step's probe: the mistake, what `check --step` must say about it, and the commands
    /// that put it right (after which the step passes), or nil to undo it and let `skip`
    /// perform the step.
    struct Probe {
        var step: Int
        var mistake: String
        var says: [String]
        var undo: String?
        var putRight: String?
        /// The mistake's lines typed at the REPL before `mistake` runs in the shell: BoxLab's
        /// own commands (`clone`, `caps`, `seccomp`, `uidmap`), which no standard tool has.
        var typed: [String] = []
    }

    /// Takes `lab` in exercise mode, making each probe's mistake at its step. `boxlab shell`
    /// has the session's variables in its environment (`$c1`, `$box`, `$lowerdir`).
    /// Steps after the last probe (`total` of them in all) are performed at `skip`, or, when
    /// this machine skips them (`requires:` a kernel feature it lacks), passed at `next`.
    func walk(_ lab: String, _ probes: [Probe], total: Int? = nil, skipped: Bool = false) throws {
        let harness = Harness()
        let repl = try SessionTests.OpenRepl(harness, [lab, "--mode", "exercise", "--restart"])
        let total = total ?? probes.count
        #expect(repl.waitFor("\(lab) 1/\(total)>", harness))
        var current = 1
        for probe in probes {
            // Steps without a probe are performed.
            while current < probe.step {
                repl.type("skip")
                current += 1
                #expect(harness.waitFor { repl.child.output.soFar.contains("\(lab) \(current)/\(total)>") }, "step \(current - 1): \(repl.child.output.soFar.suffix(1200))")
            }
            current = probe.step + 1
            for (index, line) in probe.typed.enumerated() {
                // A mark after each line: the REPL has done it once the mark is printed (the
                // quotes keep the typed line, which the terminal echoes, from matching it).
                let mark = "@@typed-\(probe.step)-\(index)"
                repl.type(line)
                repl.type("echo \(mark)\"-done\"")
                #expect(harness.waitFor { repl.child.output.soFar.contains(mark + "-done") },
                        "step \(probe.step), typed \(line): \(repl.child.output.soFar.suffix(1200))")
            }
            var shell = try harness.boxlab("shell", "-c", "set -e\n" + NearMissTests.waits + probe.mistake)
            #expect(shell.status == 0, "step \(probe.step), the mistake: \(shell.output)")
            let check = try harness.boxlab("check", lab, "--step", "\(probe.step)")
            #expect(check.status == 1, "step \(probe.step) must fail: \(check.stdout)")
            harness.expectLines(probe.says, in: check.stdout)
            if let putRight = probe.putRight {
                shell = try harness.boxlab("shell", "-c", "set -e\n" + NearMissTests.waits + putRight)
                #expect(shell.status == 0, "step \(probe.step), put right: \(shell.output)")
                repl.type("next")
            } else {
                shell = try harness.boxlab("shell", "-c", "set -e\n" + NearMissTests.waits + (probe.undo ?? ""))
                #expect(shell.status == 0, "step \(probe.step), undone: \(shell.output)")
                repl.type("skip")
            }
            // The prompt: `10-mini-container 3/9>`, or `… 3/9 [pid 18 before exec]>` while a
            // clone waits before exec.
            let next = probe.step < total ? ["\(lab) \(probe.step + 1)/\(total)>", "\(lab) \(probe.step + 1)/\(total) ["] : ["✓ \(lab) complete"]
            #expect(harness.waitFor { next.contains { repl.child.output.soFar.contains($0) } }, "step \(probe.step) passes once put right: \(repl.child.output.soFar.suffix(1200))")
        }
        for step in current...max(current, total) where step <= total {
            if skipped { #expect(harness.waitFor { repl.child.output.soFar.contains("step \(step) skipped: ") }) }
            repl.type(skipped ? "next" : "skip")
            let next = step < total ? "\(lab) \(step + 1)/\(total)>" : "✓ \(lab) complete"
            #expect(harness.waitFor { repl.child.output.soFar.contains(next) }, "step \(step): \(repl.child.output.soFar.suffix(1200))")
        }
        let ended = repl.quit()
        #expect(ended.status == 0, "\(ended.output)")
        harness.expectNothingLeft()
    }

    /// `check --set NAME=PID` from the learner's shell: names a process they started.
    static let name = "\(Harness.binary) check --step 1 --set"

    /// Shell functions every mistake may use. `$!` of `unshare … &` is in the shell's own
    /// namespaces until unshare has made the new ones and execs the program: `execed PID PROG`
    /// waits for that exec (a mistake made before it lands in the sandbox's namespaces, which
    /// a loaded machine showed). `child PID` prints the program util-linux's
    /// `unshare --fork` (PID) started, once it has exec'd.
    static let waits = #"""
        execed() { i=0; until [ "$(cat /proc/$1/comm 2>/dev/null)" = "$2" ]; do i=$((i+1)); [ $i -lt 200 ] || return 1; sleep 0.05; done; }
        child() {
            i=0
            until c=$(cut -d' ' -f1 /proc/$1/task/$1/children 2>/dev/null) && [ -n "$c" ] && [ "$(cat /proc/$c/comm 2>/dev/null)" != unshare ]; do
                i=$((i+1)); [ $i -lt 200 ] || return 1; sleep 0.05
            done
            echo $c
        }

        """#

    /// The mistakes are mended in place (`type macvlan mode …` keeps the MAC): a child made
    /// again would get a new MAC while the router's ARP cache still holds the old one.
    @Test("12-macvlan-ipvlan: a port off the switch, the wrong mode both ways, the host's macvlan without an address")
    func macvlan() throws {
        let lan = """
            ip netns add lan
            ip -n lan link add switch type bridge
            ip -n lan link set switch up
            ip netns add router
            ip -n lan link add port-router type veth peer name eth0 netns router
            ip -n lan link set port-router master switch
            ip -n lan link set port-router up
            ip -n router addr add 192.168.50.1/24 dev eth0
            ip -n router link set eth0 up
            ip link add uplink type veth peer name port-host netns lan
            ip -n lan link set port-host up
            ip addr add 192.168.50.2/24 dev uplink
            ip link set uplink up
            """
        func child(_ namespace: String, _ address: String, mode: String) -> String {
            """
            ip netns add \(namespace)
            ip link add link uplink name mv-\(namespace) type macvlan mode \(mode)
            ip link set mv-\(namespace) netns \(namespace)
            ip -n \(namespace) link set mv-\(namespace) name eth0
            ip -n \(namespace) addr add \(address)/24 dev eth0
            ip -n \(namespace) link set eth0 up
            """
        }
        try walk("12-macvlan-ipvlan", [
            Probe(step: 1, mistake: lan,
                  says: ["✗ port-host in lan is a veth link (up, master switch, peer host:uplink)",
                         "found: switch has no port port-host: it has no master", "cause: enslave it: ip link set port-host master switch"],
                  putRight: "ip -n lan link set port-host master switch"),
            Probe(step: 2, mistake: child("m1", "192.168.50.11", mode: "bridge") + "\n" + child("m2", "192.168.50.12", mode: "private"),
                  says: ["✗ eth0 in m2 is a macvlan link (up, mode bridge, on host:uplink)", "found: its mode is private",
                         "✗ 192.168.50.12 answers ping from m1"],
                  putRight: "ip -n m2 link set eth0 type macvlan mode bridge"),
            Probe(step: 3, mistake: """
                ip link add link uplink name mv-host type macvlan mode bridge
                ip link set mv-host up
                ip route add 192.168.50.11/32 dev mv-host
                ip route add 192.168.50.12/32 dev mv-host
                """,
                  says: ["✗ mv-host has address 192.168.50.3/32", "found: mv-host has no IPv4 address"],
                  putRight: "ip addr add 192.168.50.3/32 dev mv-host"),
            Probe(step: 4, mistake: child("p1", "192.168.50.21", mode: "private") + "\n" + child("p2", "192.168.50.22", mode: "bridge"),
                  says: ["✗ eth0 in p2 is a macvlan link (up, mode private, on host:uplink)", "found: its mode is bridge"],
                  putRight: "ip -n p2 link set eth0 type macvlan mode private"),
        ], total: 6, skipped: !KernelFeature.ipvlan.isPresent)
    }

    @Test("04-veth: one mistake per step, each named")
    func veth() throws {
        try walk("04-veth", [
            Probe(step: 1, mistake: "ip netns add red",
                  says: ["found: there is no network namespace blue", "cause: `ip netns add blue` makes it"],
                  putRight: "ip netns add blue"),
            Probe(step: 2, mistake: "ip link add veth-red type veth peer name veth-bleu",
                  says: ["✗ veth-blue is a veth link (peer veth-red)", "found: there is no link veth-blue"],
                  undo: "ip link del veth-red"),
            Probe(step: 3, mistake: """
                ip link set veth-red netns red
                ip link set veth-blue netns red
                ip -n red link set veth-red name eth0
                """,
                  says: ["✗ eth0 in blue is a veth link (peer red:eth0)", "found: there is no link eth0 in blue"],
                  undo: "ip -n red link del eth0\nip link add veth-red type veth peer name veth-blue"),
            Probe(step: 4, mistake: "ip -n red addr add 10.0.0.1/16 dev eth0\nip -n blue addr add 10.0.0.2/24 dev eth0",
                  says: ["found: eth0 in red has 10.0.0.1/16", "cause: the prefix length is /16, not /24"],
                  undo: "ip -n red addr del 10.0.0.1/16 dev eth0\nip -n blue addr del 10.0.0.2/24 dev eth0"),
            Probe(step: 5, mistake: "ip -n red link set eth0 up\nip -n red link set lo up\nip -n blue link set lo up",
                  says: ["✗ eth0 in blue is a link (up)", "found: eth0 is DOWN", "cause: links start down: ip -n blue link set eth0 up"],
                  putRight: "ip -n blue link set eth0 up"),
            Probe(step: 6, mistake: "ip -n blue link del eth0",
                  says: ["✗ there is no network namespace blue", "found: network namespace blue exists (/run/netns/blue)",
                         "cause: `ip netns del blue` removes it"],
                  putRight: "ip netns del blue"),
            Probe(step: 7, mistake: """
                unshare --net --uts sleep 1000 </dev/null >/dev/null 2>&1 &
                box=$!
                execed $box sleep
                ln -s /proc/$box/ns/net /run/netns/box
                ip link add veth-box type veth peer name ceth0 netns box
                ip -n box link set ceth0 name eth0
                ip -n box addr add 10.0.1.2/24 dev eth0
                ip -n box link set eth0 up
                ip -n box link set lo up
                ip addr add 10.0.1.1/24 dev veth-box
                ip link set veth-box up
                \(Harness.binary) check 04-veth --step 1 --set box=$box >/dev/null || true
                """,
                  says: ["✗ $box has a route to default via 10.0.1.1", "found: no route to default in $box; it has: 10.0.1.0/24 dev eth0"],
                  putRight: "ip -n box route add default via 10.0.1.1"),
        ])
    }

    /// The sandbox mounts overlay with userxattr (its trusted.* xattrs are out of reach).
    static let overlay = "mount -t overlay overlay -o userxattr,"

    @Test("02-overlayfs: one mistake per step, each named")
    func overlay() throws {
        let mount = NearMissTests.overlay
        try walk("02-overlayfs", [
            Probe(step: 1, mistake: """
                mkdir lower upper work merged lower/config
                echo "I'm from lower" > lower/in_lower.txt
                echo "I'm from upper" > upper/in_upper.txt
                echo "I'm from upper" > upper/in_both.txt
                echo "setting=lower" > lower/config/app.conf
                """,
                  says: ["found: lower has no in_both.txt"],
                  putRight: #"echo "I'm from lower" > lower/in_both.txt"#),
            Probe(step: 2, mistake: mount + "lowerdir=upper,upperdir=lower,workdir=work merged",
                  says: ["found: lowerdir is upper; upperdir is lower",
                         "cause: lowerdir and upperdir are swapped: writes now land in what should be the read-only layer; unmount and mount again"],
                  putRight: "umount merged\n" + mount + "lowerdir=lower,upperdir=upper,workdir=work merged"),
            Probe(step: 3, mistake: #"echo "written through merged" > lower/new.txt"#,
                  says: ["✗ upper/new.txt reads \"written through merged\"", "found: upper/new.txt does not exist"],
                  undo: "rm lower/new.txt"),
            Probe(step: 4, mistake: #"echo "changed in the container" >> lower/in_lower.txt"#,
                  says: ["found: upper/in_lower.txt does not exist", "found: it reads \"I'm from lower\\nchanged in the container\""],
                  undo: #"echo "I'm from lower" > lower/in_lower.txt"#),
            // Emptied instead of deleted.
            Probe(step: 5, mistake: ": > merged/in_both.txt",
                  says: ["found: merged/in_both.txt is a regular file reading \"\"",
                         "cause: upper/in_both.txt is a regular file, not a whiteout"],
                  putRight: "rm merged/in_both.txt"),
            Probe(step: 6, mistake: "rm merged/config/app.conf\necho setting=upper > merged/config/app.conf",
                  says: ["found: upper/config is a directory without"],
                  putRight: "rm -r merged/config\nmkdir merged/config\necho setting=upper > merged/config/app.conf"),
            Probe(step: 7, mistake: """
                mkdir l1 l2 l3 stack
                echo "layer 1" > l1/which.txt
                echo "only in layer 1" > l1/base.txt
                echo "layer 2" > l2/which.txt
                echo "layer 3" > l3/which.txt
                \(mount)lowerdir=l1:l2:l3 stack
                """,
                  says: ["found: lowerdir is l1:l2:l3", "cause: the order of lowerdir matters: the leftmost layer is on top",
                         "found: it reads \"layer 1\""],
                  putRight: "umount stack\n" + mount + "lowerdir=l3:l2:l1 stack"),
            Probe(step: 8, mistake: "umount stack",
                  says: ["✗ nothing is mounted at merged", "found: merged is an overlay mount", "cause: `umount merged` removes it"],
                  putRight: "umount merged\n" + mount + "lowerdir=l3:l2:l1 stack"),
        ])
    }

    @Test("05-bridge: one mistake per step, each named")
    func bridge() throws {
        try walk("05-bridge", [
            Probe(step: 1, mistake: "ip link add docker0 type bridge\nip addr add 172.17.0.1/24 dev docker0\nip link set docker0 up",
                  says: ["found: docker0 has 172.17.0.1/24", "cause: the prefix length is /24, not /16"],
                  putRight: "ip addr del 172.17.0.1/24 dev docker0\nip addr add 172.17.0.1/16 dev docker0"),
            Probe(step: 2, mistake: """
                ip netns add c1
                ip link add veth-c1 type veth peer name eth0 netns c1
                ip link set veth-c1 up
                ip -n c1 addr add 172.17.0.2/16 dev eth0
                ip -n c1 link set eth0 up
                ip -n c1 link set lo up
                ip -n c1 route add default via 172.17.0.1
                """,
                  says: ["found: docker0 has no port veth-c1: it has no master", "cause: enslave it: ip link set veth-c1 master docker0"],
                  putRight: "ip link set veth-c1 master docker0"),
            Probe(step: 3, mistake: """
                for c in 2 3; do
                  ip netns add c$c
                  ip link add veth-c$c type veth peer name eth0 netns c$c
                  ip link set veth-c$c master docker0
                  ip link set veth-c$c up
                  ip -n c$c addr add 172.17.0.$((c + 1))/16 dev eth0
                done
                ip -n c2 link set eth0 up
                ip -n c2 route add default via 172.17.0.1
                """,
                  says: ["✗ 172.17.0.4 answers ping from c2", "found: no reply", "cause: 172.17.0.4 is on eth0 in c3, which is DOWN: ip -n c3 link set eth0 up"],
                  putRight: """
                ip -n c3 link set eth0 up
                ip -n c3 route add default via 172.17.0.1
                """),
            Probe(step: 4, mistake: "ip link del veth-c3",
                  says: ["✗ there is no network namespace c3", "found: network namespace c3 exists (/run/netns/c3)", "cause: `ip netns del c3` removes it"],
                  putRight: "ip netns del c3"),
        ])
    }

    @Test("01-namespaces: one mistake per step, each named")
    func namespaces() throws {
        let lab = "01-namespaces", name = NearMissTests.name
        try walk(lab, [
            Probe(step: 1, mistake: """
                unshare --uts sleep 1000 </dev/null >/dev/null 2>&1 &
                c1=$!
                execed $c1 sleep
                nsenter --target $c1 --uts hostname box
                \(name) c1=$c1 \(lab) >/dev/null || true
                """,
                  says: ["✗ $c1's hostname is box1", "found: it is box", "cause: set it inside: nsenter -t $c1 -u hostname box1"],
                  putRight: "nsenter -t $c1 -u hostname box1"),
            // A new namespace made where the existing one was to be joined.
            Probe(step: 2, mistake: "unshare --uts sleep 1000 </dev/null >/dev/null 2>&1 &\nc1b=$!\nexeced $c1b sleep\n\(name) c1b=$c1b \(lab) >/dev/null || true",
                  says: ["✗ $c1b shares the uts namespace of $c1", "found: $c1b is in uts:[",
                         "cause: $c1b has a uts namespace of its own: nsenter -t $c1 --uts … starts a program in that of $c1"],
                  undo: "kill $c1b"),
            // --pid forgotten: no PID namespace, so no PID 1.
            Probe(step: 3, mistake: """
                unshare --fork --mount-proc sleep 1000 </dev/null >/dev/null 2>&1 &
                \(name) c2=$! \(lab) >/dev/null || true
                """,
                  says: ["found: both are in pid:[", "cause: a program gets a new pid namespace from unshare --pid",
                         "found: it is", "cause: unshare --pid --fork starts the program as PID 1 of a new PID namespace"],
                  putRight: """
                kill $(cat /proc/$c2/task/$c2/children)
                unshare --pid --fork --mount-proc sleep 1000 </dev/null >/dev/null 2>&1 &
                \(name) c2=$(child $!) \(lab) >/dev/null || true
                """),
            Probe(step: 4, mistake: "kill $c2",
                  says: ["✗ $c2 has ended", "found: it is still running", "cause: PID 1 of a namespace ignores signals it has no handler for: kill -9"],
                  putRight: "kill -9 $c2"),
            // --mount forgotten: the tmpfs lands in the session's own mount namespace.
            Probe(step: 5, mistake: """
                mkdir scratch
                unshare --ipc sleep 1000 </dev/null >/dev/null 2>&1 &
                c3=$!
                execed $c3 sleep
                nsenter -t $c3 --mount -w"$PWD" mount -t tmpfs tmpfs scratch
                \(name) c3=$c3 \(lab) >/dev/null || true
                """,
                  says: ["✗ $c3 and host are in different mnt namespaces", "found: both are in mnt:[",
                         "✗ nothing is mounted at scratch", "found: scratch is a tmpfs mount", "`umount scratch` removes it"],
                  undo: "umount scratch\nkill $c3\nrmdir scratch"),
            Probe(step: 6, mistake: "unshare --net sleep 1000 </dev/null >/dev/null 2>&1 &\nc4=$!\nexeced $c4 sleep\n\(name) c4=$c4 \(lab) >/dev/null || true",
                  says: ["✗ lo in $c4 is a link (up)", "found: lo is DOWN", "cause: links start down: nsenter -t $c4 -n ip link set lo up"],
                  putRight: "nsenter -t $c4 -n ip link set lo up"),
            Probe(step: 7, mistake: "unshare --user sleep 1000 </dev/null >/dev/null 2>&1 &\nc5=$!\nexeced $c5 sleep\n\(name) c5=$c5 \(lab) >/dev/null || true",
                  says: ["found: its uid_map is empty: nothing is mapped", "cause: a new user namespace maps nobody until its uid_map is written: unshare -U -r"],
                  undo: "kill $c5"),
        ])
    }

    @Test("03-image-layers: one mistake per step, each named")
    func imageLayers() throws {
        let lab = "03-image-layers", boxlab = Harness.binary
        try walk(lab, [
            // `image` is BoxLab's own command (no standard tool builds an OCI layout): the
            // mistakes are made with `boxlab image`, as a learner would type them.
            Probe(step: 1, mistake: "\(boxlab) image build imgae >/dev/null",
                  says: ["found: image/oci-layout does not exist"],
                  undo: "rm -r imgae"),
            Probe(step: 2, mistake: "\(boxlab) image unpack image layer >/dev/null",
                  says: ["found: layers/sha256/"],
                  undo: "rm -r layer"),
            // The layers swapped in lowerdir: the base layer on top hides the upper one's whiteout.
            Probe(step: 3, mistake: """
                mkdir box box/upper box/work box/merged
                mount -t overlay overlay -o userxattr,lowerdir=layers/sha256/$layer1/diff:layers/sha256/$layer2/diff,upperdir=box/upper,workdir=box/work box/merged
                echo "written in the container" > box/merged/root/note
                """,
                  says: ["✗ box/merged/etc/hostname does not exist", "found: box/merged/etc/hostname is a regular file reading \"busybox\"",
                         "cause: lowerdir lists layers/sha256/", "the first lowerdir is the top layer, so"],
                  putRight: """
                umount box/merged
                mount -t overlay overlay -o userxattr,lowerdir=$lowerdir,upperdir=box/upper,workdir=box/work box/merged
                """),
            Probe(step: 4, mistake: "\(boxlab) image build --motd \"another image on the same base\" other >/dev/null",
                  says: ["✗ layers/sha256/$layer2/diff/etc/motd reads \"another image on the same base\"", "found: it reads \"hello from layer 2\""],
                  undo: "rm -r other"),
        ])
    }

    @Test("09-cgroups: one mistake per step, each named (v1 controllers or pure v2)")
    func cgroups() throws {
        let lab = "09-cgroups", name = NearMissTests.name
        // The files of this machine's version: v2 where the group has memory.max.
        let v2 = #"v2() { [ -e $memory/demo/memory.max ]; }"# + "\n"
        let freeze = v2 + #"freeze() { if v2; then echo $1 > $freezer/demo/cgroup.freeze; elif [ $1 = 1 ]; then echo FROZEN > $freezer/demo/freezer.state; else echo THAWED > $freezer/demo/freezer.state; fi; }"# + "\n"
        try walk(lab, [
            Probe(step: 1, mistake: "mkdir -p $memory/dmeo $pids/dmeo $cpu/dmeo $freezer/dmeo",
                  says: ["✗ cgroup demo exists", "found: there is no cgroup demo", "cause: mkdir it: mkdir $"],
                  undo: "for d in $memory/dmeo $pids/dmeo $cpu/dmeo $freezer/dmeo; do [ ! -d $d ] || rmdir $d; done"),
            // The limits are right, but the program runs outside the group.
            Probe(step: 2, mistake: v2 + """
                if v2; then echo 32M > $memory/demo/memory.max; echo 0 > $memory/demo/memory.swap.max
                else echo 32M > $memory/demo/memory.limit_in_bytes; echo 32M > $memory/demo/memory.memsw.limit_in_bytes; fi
                dd if=/dev/zero of=/dev/null bs=100M count=1 2>/dev/null &
                hog=$!
                wait $hog
                \(name) hog=$hog \(lab) >/dev/null || true
                """,
                  says: ["✗ demo's memory.events oom_kill >= 1", "cause: oom_kill counts only what happens in demo: was the program in the group"],
                  putRight: """
                sh -c 'echo $$ > $memory/demo/cgroup.procs; exec dd if=/dev/zero of=/dev/null bs=100M count=1 2>/dev/null' &
                hog=$!
                wait $hog || true
                \(name) hog=$hog \(lab) >/dev/null || true
                """),
            // One zero too many.
            Probe(step: 3, mistake: "echo 50 > $pids/demo/pids.max",
                  says: ["✗ demo may hold at most 5 processes", "found: pids.max reads \"50\"", "cause: on this machine the limit is written to pids.max: echo 5 > it in the group"],
                  putRight: """
                echo 5 > $pids/demo/pids.max
                sh -c 'echo $$ > $pids/demo/cgroup.procs; for i in 1 2 3 4 5 6 7 8 9 10; do sleep 2 & done; wait' </dev/null >/dev/null 2>&1 &
                sleep 0.5
                """),
            // A quota of a whole period: no throttling.
            Probe(step: 4, mistake: v2 + """
                if v2; then echo max > $pids/demo/pids.max; echo "100000 100000" > $cpu/demo/cpu.max; else echo 100000 > $cpu/demo/cpu.cfs_quota_us; fi
                """,
                  says: ["✗ demo may use 10000µs of CPU every 100000µs", "(100000/100000)", "cause: on this machine the limit is written to"],
                  putRight: v2 + """
                if v2; then echo "10000 100000" > $cpu/demo/cpu.max; else echo 10000 > $cpu/demo/cpu.cfs_quota_us; fi
                sh -c 'echo $$ > $cpu/demo/cgroup.procs; while :; do :; done' </dev/null >/dev/null 2>&1 &
                busy=$!
                sleep 1
                kill -9 $busy
                """),
            // The group is frozen, but the program was never moved into it.
            Probe(step: 5, mistake: freeze + """
                sleep 1000 </dev/null >/dev/null 2>&1 &
                \(name) sleeper=$! \(lab) >/dev/null || true
                freeze 1
                """,
                  says: ["✗ $sleeper is in demo", "is in the root cgroup of every hierarchy", "not in demo", "cause: start it there (cgexec -g CONTROLLER:demo …), or echo its pid > cgroup.procs of the group"],
                  putRight: "echo $sleeper > $freezer/demo/cgroup.procs"),
            // SIGCONT does not thaw a frozen group.
            Probe(step: 6, mistake: "kill -CONT $sleeper",
                  says: ["✗ demo is thawed", "cause: write "],
                  putRight: freeze + "freeze 0"),
        ])
    }

    @Test("06-nat-ports: one mistake per step, each named")
    func natPorts() throws {
        let lab = "06-nat-ports"
        // Step 1's work, but for what each probe leaves out or changes.
        let network = """
            sysctl -w net.ipv4.ip_forward=0
            ip link add docker0 type bridge
            ip addr add 172.17.0.1/16 dev docker0
            ip link set docker0 up
            ip netns add c1
            ip link add veth-c1 type veth peer name eth0 netns c1
            ip link set veth-c1 master docker0
            ip link set veth-c1 up
            ip -n c1 addr add 172.17.0.2/16 dev eth0
            ip -n c1 link set eth0 up
            ip -n c1 link set lo up
            ip -n c1 route add default via 172.17.0.1
            ip netns add outside
            ip link add lan0 type veth peer name eth0 netns outside
            ip addr add 203.0.113.1/24 dev lan0
            ip link set lan0 up
            ip -n outside addr add 203.0.113.2/24 dev eth0
            ip -n outside link set lo up
            """
        let quiet = "</dev/null >/dev/null 2>&1 &"
        let dnat = "iptables -t nat -A DOCKER ! -i docker0 -p tcp --dport"
        try walk(lab, [
            // The outside's end of the cable left down.
            Probe(step: 1, mistake: network,
                  says: ["✗ 203.0.113.2 answers ping from host", "cause: 203.0.113.2 is on eth0 in outside, which is DOWN: ip -n outside link set eth0 up"],
                  putRight: "ip -n outside link set eth0 up"),
            // The server listens on another port.
            Probe(step: 2, mistake: "mkdir site\necho 'hello from outside' > site/index.html\nip netns exec outside busybox httpd -f -p 8000 -h site \(quiet)",
                  says: ["✗ 203.0.113.2:80 accepts a TCP connection from host", "found: connect: ECONNREFUSED", "cause: nothing listens on port 80 there"],
                  putRight: "ip netns exec outside busybox httpd -f -p 80 -h site \(quiet)"),
            // The route back, but forwarding left off.
            Probe(step: 3, mistake: "ip -n outside route add 172.17.0.0/16 via 203.0.113.1",
                  says: ["✗ net.ipv4.ip_forward is 1", "found: net.ipv4.ip_forward is 0", "`sysctl -w net.ipv4.ip_forward=1` sets it"],
                  putRight: "sysctl -w net.ipv4.ip_forward=1"),
            // The container's route taken away instead of the outside's.
            Probe(step: 4, mistake: "ip -n c1 route del default",
                  says: ["✗ outside has no route to 172.17.0.0/16", "cause: `ip -n outside route del 172.17.0.0/16"],
                  undo: "ip -n c1 route add default via 172.17.0.1"),
            // Masquerade for another subnet.
            Probe(step: 5, mistake: "iptables -t nat -A POSTROUTING -s 172.18.0.0/16 ! -o docker0 -j MASQUERADE",
                  says: ["✗ 172.17.0.0/16 is masqueraded leaving by any interface but docker0", "172.18.0.0/16"],
                  putRight: "iptables -t nat -D POSTROUTING -s 172.18.0.0/16 ! -o docker0 -j MASQUERADE\niptables -t nat -A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE"),
            // DNAT to the published port instead of the container's.
            Probe(step: 6, mistake: """
                mkdir site-c1
                echo 'hello from c1' > site-c1/index.html
                ip netns exec c1 busybox httpd -f -p 80 -h site-c1 \(quiet)
                iptables -t nat -N DOCKER
                iptables -t nat -A PREROUTING -j DOCKER
                \(dnat) 8080 -j DNAT --to-destination 172.17.0.2:8080
                """,
                  says: ["✗ tcp 8080 is forwarded (DNAT) to 172.17.0.2:80", "172.17.0.2:8080"],
                  putRight: "iptables -t nat -F DOCKER\n\(dnat) 8080 -j DNAT --to-destination 172.17.0.2:80"),
            // OUTPUT jumps for loopback only: the `!` forgotten.
            Probe(step: 7, mistake: "iptables -t nat -A OUTPUT -d 127.0.0.0/8 -j DOCKER",
                  says: ["✗ 203.0.113.1:8080 accepts a TCP connection from host", "found: connect: ECONNREFUSED"],
                  putRight: "iptables -t nat -D OUTPUT -d 127.0.0.0/8 -j DOCKER\niptables -t nat -A OUTPUT ! -d 127.0.0.0/8 -j DOCKER"),
            // The policy set on INPUT.
            Probe(step: 8, mistake: "iptables -P INPUT DROP",
                  says: ["✗ chain FORWARD of table filter has policy drop"],
                  putRight: "iptables -P INPUT ACCEPT\niptables -P FORWARD DROP"),
            // The answers to the container's connections not let back in.
            Probe(step: 9, mistake: "iptables -A FORWARD -i docker0 ! -o docker0 -j ACCEPT\niptables -A FORWARD -o docker0 -d 172.17.0.2 -p tcp --dport 80 -j ACCEPT",
                  says: ["✗ 203.0.113.2:80 accepts a TCP connection from c1", "found: connect: ETIMEDOUT"],
                  putRight: "iptables -I FORWARD 2 -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT"),
            // -P's port sent on to itself: the container's port left out.
            Probe(step: 10, mistake: "\(dnat) 32768 -j DNAT --to-destination 172.17.0.2",
                  says: ["✗ tcp 32768 is forwarded (DNAT) to 172.17.0.2:80"],
                  putRight: "iptables -t nat -D DOCKER ! -i docker0 -p tcp --dport 32768 -j DNAT --to-destination 172.17.0.2\n\(dnat) 32768 -j DNAT --to-destination 172.17.0.2:80"),
            // DROP without --ctstate NEW: the answers to the container's own connections go too.
            Probe(step: 11, mistake: """
                iptables -N DOCKER-USER
                iptables -I FORWARD -j DOCKER-USER
                iptables -A DOCKER-USER -s 203.0.113.2 -o docker0 -j DROP
                iptables -A DOCKER-USER -j RETURN
                """,
                  says: ["✗ 203.0.113.2:80 accepts a TCP connection from c1", "found: connect: ETIMEDOUT"],
                  putRight: "iptables -R DOCKER-USER 1 -s 203.0.113.2 -o docker0 -m conntrack --ctstate NEW -j DROP"),
        ])
    }

    @Test("07-network-modes: one mistake per step, each named")
    func networkModes() throws {
        let lab = "07-network-modes", name = NearMissTests.name
        try walk(lab, [
            // --net forgotten: "none" is the host's namespace.
            Probe(step: 1, mistake: "unshare sleep 1000 </dev/null >/dev/null 2>&1 &\nnone=$!\nexeced $none sleep\n\(name) none=$none \(lab) >/dev/null || true",
                  says: ["✗ $none and host are in different net namespaces", "found: both are in net:[", "cause: a program gets a new net namespace from unshare --net"],
                  undo: "kill $none"),
            // host mode started with --net: the server is in a namespace of its own.
            Probe(step: 2, mistake: """
                mkdir site
                echo "hello from the pod" > site/index.html
                unshare --net --uts busybox httpd -f -p 127.0.0.1:18080 -h site </dev/null >/dev/null 2>&1 &
                web=$!
                execed $web busybox
                \(name) web=$web \(lab) >/dev/null || true
                """,
                  says: ["✗ $web shares the net namespace of host", "cause: $web has a net namespace of its own: a program started without unshare --net shares the net namespace of the shell that starts it", "found: connect: ECONNREFUSED"],
                  undo: "kill $web\nrm -r site"),
            // The sidecar given a network namespace of its own instead of the pod's.
            Probe(step: 3, mistake: """
                unshare --net --uts --pid --fork --mount-proc busybox httpd -f -p 127.0.0.1:80 -h site </dev/null >/dev/null 2>&1 &
                pod=$(child $!)
                nsenter -t $pod --net ip link set lo up
                unshare --net --uts --pid --fork --mount-proc sleep 1000 </dev/null >/dev/null 2>&1 &
                \(name) pod=$pod --set sidecar=$(child $!) \(lab) >/dev/null || true
                """,
                  says: ["✗ $pod and $sidecar share a network namespace", "found: $pod is net:[", "cause: a program started with unshare --net gets a namespace of its own"],
                  putRight: """
                kill -9 $sidecar
                nsenter -t $pod --net unshare --uts --pid --fork --mount-proc sleep 1000 </dev/null >/dev/null 2>&1 &
                \(name) sidecar=$(child $!) \(lab) >/dev/null || true
                """),
        ])
    }

    @Test("13-hardening: capabilities dropped after exec, a filter without the architecture check, a gid_map before setgroups deny")
    func hardening() throws {
        let docker = "chown,dac_override,fowner,fsetid,kill,setgid,setuid,setpcap,net_bind_service,net_raw,sys_chroot,mknod,audit_write,setfcap"
        let profile = [
            "echo \"default allow\" > no-mounts.profile", "echo \"errno EPERM: mount umount2 unshare setns\" >> no-mounts.profile",
        ]
        try walk("13-hardening", [
            // exec first: `caps keep` then finds no process being set up.
            Probe(step: 3, mistake: "", says: ["✗ $box's effective set is cap_chown", "found: it is all", "cause: a program of uid 0 gets its whole bounding set at exec: drop the rest before exec (caps keep …",
                                               "✗ $box's bounding set is cap_chown", "cause: nothing dropped them: the bounding set shrinks by PR_CAPBSET_DROP in the process itself, before exec"],
                  undo: "kill -9 $box",
                  typed: ["clone -m -u -i -n -p", "box=$!", "exec --no-new-privs sleep 1000", "caps keep \(docker)"]),
            Probe(step: 4, mistake: "", says: ["✗ mount is denied in $filtered with EPERM", "found: the filters answer mount with ERRNO(1), but a program making it as x32 (number 0x400000a5) gets ALLOW",
                                               "cause: the filter compares numbers without checking the architecture first"],
                  undo: "kill -9 $filtered",
                  typed: profile + ["clone -m -u -i -n -p", "filtered=$!", "seccomp load no-mounts.profile --no-arch-check", "exec sleep 1000"]),
            // The gid_map written before setgroups is denied: the kernel refuses it.
            Probe(step: 6, mistake: "",
                  says: ["✗ $rootless maps group ids 0 1000 1", "found: its gid_map is empty", "cause: its setgroups still says allow"],
                  undo: "kill -9 $rootless\nrm -rf home scratch",
                  typed: ["mkdir home scratch", "chown 1000:1000 home", "clone --reuid 1000 --regid 1000 --clear-groups -U --no-map -m -u -i", "rootless=$!", "uidmap $rootless 0 1000 1", "gidmap $rootless 0 1000 1",
                          "hostname rootless", "mount -t tmpfs tmpfs scratch", "touch home/made-rootless", "exec sleep 1000"]),
        ], total: 6)
    }

    @Test("11-multi-host: forwarding off on the far host, a missing FDB entry, a lease outside the network")
    func multiHost() throws {
        let etcdctl = "ip netns exec node1 etcdctl"
        let rogue = #"{"PublicIP":"192.168.32.131","BackendType":"vxlan","BackendData":{"VNI":1,"VtepMAC":"0e:00:00:00:05:00"}}"#
        try walk("11-multi-host", [
            // Both policies opened, but node3 no longer forwards: the echo dies there.
            Probe(step: 4, mistake: """
                ip netns exec node2 iptables -P FORWARD ACCEPT
                ip netns exec node3 iptables -P FORWARD ACCEPT
                ip netns exec node3 sysctl -w net.ipv4.ip_forward=0 >/dev/null
                """,
                  says: ["✗ 172.18.2.2 answers ping from c2", "found: no reply",
                         "cause: 172.18.2.2 is on none of c2's subnets: its packets are routed through node3, which forwards none while net.ipv4.ip_forward is 0"],
                  putRight: "ip netns exec node3 sysctl -w net.ipv4.ip_forward=1 >/dev/null"),
            // The overlay wired by hand but for node2's FDB entry: node2 knows the MAC, not the host.
            Probe(step: 5, mistake: """
                ip -n node2 route del 172.18.2.0/24 via 192.168.32.130
                ip -n node3 route del 172.18.1.0/24 via 192.168.32.129
                ip -n node2 link add flannel.1 address 0e:00:00:00:01:00 type vxlan id 1 local 192.168.32.129 dev eth0 dstport 8472 nolearning
                ip -n node2 addr add 172.18.1.0/32 dev flannel.1
                ip -n node2 link set flannel.1 up
                ip -n node3 link add flannel.1 address 0e:00:00:00:02:00 type vxlan id 1 local 192.168.32.130 dev eth0 dstport 8472 nolearning
                ip -n node3 addr add 172.18.2.0/32 dev flannel.1
                ip -n node3 link set flannel.1 up
                ip -n node2 route add 172.18.2.0/24 via 172.18.2.0 dev flannel.1 onlink
                ip -n node2 neigh add 172.18.2.0 lladdr 0e:00:00:00:02:00 dev flannel.1 nud permanent
                ip -n node3 route add 172.18.1.0/24 via 172.18.1.0 dev flannel.1 onlink
                ip -n node3 neigh add 172.18.1.0 lladdr 0e:00:00:00:01:00 dev flannel.1 nud permanent
                bridge -n node3 fdb append 0e:00:00:00:01:00 dev flannel.1 dst 192.168.32.129
                """,
                  says: ["✗ flannel.1 in node2 sends frames for 0e:00:00:00:02:00 to 192.168.32.130",
                         "✗ 172.18.2.2 answers ping from c2",
                         "cause: flannel.1 in node2 has no FDB entry for 0e:00:00:00:02:00: the kernel does not know which host to send its frames to"],
                  putRight: "bridge -n node2 fdb append 0e:00:00:00:02:00 dev flannel.1 dst 192.168.32.130"),
            // A lease written by hand outside the network: the agents' plan no longer holds.
            Probe(step: 7, mistake: "\(etcdctl) put /coreos.com/network/subnets/172.19.5.0-24 '\(rogue)' >/dev/null",
                  says: ["✗ etcd in node1 has 2 keys under /coreos.com/network/subnets", "172.19.5.0/24"],
                  putRight: "\(etcdctl) del /coreos.com/network/subnets/172.19.5.0-24 >/dev/null",
                  typed: ["ip netns exec node2 flannel --etcd-endpoints=http://192.168.32.128:2379 --iface=eth0 > flannel-node2.log &", "flannel2=$!",
                          "ip netns exec node3 flannel --etcd-endpoints=http://192.168.32.128:2379 --iface=eth0 --subnet-lease-ttl=5 > flannel-node3.log &", "flannel3=$!"]),
        ], total: 8)
    }

    @Test("10-mini-container: one mistake per step, each named")
    func miniContainer() throws {
        let lab = "10-mini-container", name = NearMissTests.name, boxlab = Harness.binary
        // Steps 3–6 work in the mount namespace of $box (stopped before exec), where the REPL
        // puts the learner after `clone`: the shell reaches it with nsenter.
        let inBox = #"inbox() { nsenter -t $box -m sh -c "cd $PWD/$1 && $2"; }"# + "\n"
        let overlay = "mount -t overlay overlay -o userxattr,lowerdir=$lowerdir,upperdir=box/upper,workdir=box/work box/rootfs"
        try walk(lab, [
            Probe(step: 1, mistake: "ip link add br-box type bridge\nip addr add 172.20.0.1/24 dev br-box\nip link set br-box up",
                  says: ["found: br-box has 172.20.0.1/24", "cause: the prefix length is /24, not /16"],
                  undo: "ip link del br-box"),
            // `clone` (stopped before exec) is BoxLab's own: the mistake is made with unshare,
            // which leaves the program outside the group.
            Probe(step: 2, mistake: """
                unshare --mount --uts --ipc --net --pid --fork sleep 1000 </dev/null >/dev/null 2>&1 &
                \(name) box=$(child $!) \(lab) >/dev/null || true
                """,
                  says: ["✗ $box is in box", "cause: start it there (cgexec -g CONTROLLER:box …), or echo its pid > cgroup.procs of the group"],
                  undo: "kill -9 $box"),
            // The rootfs mounted in the shell's own mount namespace, not in $box's. (A mount made
            // in $box before `mount --make-rprivate /` stays there in the sandbox, whose mounts
            // are private already: that mistake shows only with --host.)
            Probe(step: 3, mistake: overlay,
                  says: ["✗ box/rootfs is an overlay mount in $box", "found: nothing is mounted at box/rootfs",
                         "✗ nothing is mounted at box/rootfs", "found: box/rootfs is an overlay mount", "`umount box/rootfs` removes it"],
                  putRight: "umount box/rootfs\n" + inBox + "inbox . 'mount --make-rprivate / && \(overlay) && mount --rbind box/rootfs box/rootfs'"),
            // Everything but /proc.
            Probe(step: 4, mistake: inBox + """
                inbox box/rootfs 'mount -t tmpfs -o nosuid,mode=755,size=65536k tmpfs dev && touch dev/null dev/zero dev/full dev/random dev/urandom dev/tty && for d in null zero full random urandom tty; do mount --bind /dev/$d dev/$d; done'
                inbox box/rootfs 'ln -s /proc/self/fd dev/fd && ln -s /proc/self/fd/0 dev/stdin && ln -s /proc/self/fd/1 dev/stdout && ln -s /proc/self/fd/2 dev/stderr && mkdir dev/pts dev/shm'
                inbox box/rootfs 'mount -t devpts -o nosuid,noexec,newinstance,ptmxmode=0666,mode=0620 devpts dev/pts && ln -s pts/ptmx dev/ptmx'
                inbox box/rootfs 'mount -t tmpfs -o nosuid,nodev,noexec,mode=1777,size=65536k shm dev/shm && mount -t sysfs -o ro,nosuid,nodev,noexec sysfs sys'
                """,
                  says: ["✗ box/rootfs/proc is a proc mount in $box", "found: nothing is mounted at box/rootfs/proc", "cause: run the mount command"],
                  putRight: inBox + "inbox box/rootfs 'mount -t proc -o nosuid,nodev,noexec proc proc'"),
            // The read-only remount forgotten.
            Probe(step: 5, mistake: inBox + "inbox box/rootfs 'mkdir data ro && mount --bind ../../data data && mount --bind ../../ro ro'",
                  says: ["found: it is read-write", "cause: a bind mount is read-only only after a remount: mount -o remount,bind,ro box/rootfs/ro"],
                  putRight: inBox + "inbox box/rootfs 'mount -o remount,bind,ro ro'"),
            // The hostname forgotten.
            Probe(step: 6, mistake: inBox + "inbox box/rootfs 'pivot_root . . && umount -l .'",
                  says: ["✗ $box's hostname is box", "found: it is ", "cause: set it inside: nsenter -t $box -u hostname box"],
                  putRight: "nsenter -t $box -u hostname box"),
            // eth0 left down.
            Probe(step: 7, mistake: """
                ip link add veth-box type veth peer name ceth0
                ip link set ceth0 netns $box
                ip link set veth-box master br-box
                ip link set veth-box up
                nsenter -t $box -n ip link set ceth0 name eth0
                nsenter -t $box -n ip addr add 172.20.0.2/16 dev eth0
                nsenter -t $box -n ip link set lo up
                """,
                  says: ["✗ eth0 in $box is a link (up, peer host:veth-box)", "found: eth0 is DOWN", "cause: links start down: nsenter -t $box -n ip link set eth0 up"],
                  putRight: "nsenter -t $box -n ip link set eth0 up\nnsenter -t $box -n ip route add default via 172.20.0.1"),
            // `exec` (the stopped clone going on) is BoxLab's own: the mistake is the file
            // written from outside, with the wrong text.
            Probe(step: 8, mistake: "echo hello > data/hello",
                  says: ["✗ data/hello reads \"hello from the container\"", "found: it reads \"hello\""],
                  undo: "rm data/hello"),
            // The hog left running in the background instead of waited for (named hog-bg: a
            // container's name stays taken until `boxlab reset`, and the step's own is hog).
            Probe(step: 9, mistake: """
                \(boxlab) container run --name hog-bg --memory 32M --store layers image sleep 1000 </dev/null >/dev/null 2>&1 &
                sleep 1
                \(name) hog=$! \(lab) >/dev/null || true
                """,
                  says: ["✗ $hog has ended", "found: it is still running", "cause: wait for it to finish, or kill $hog"],
                  undo: "kill $hog\nwhile kill -0 $hog 2>/dev/null; do sleep 0.1; done"),
        ])
    }
    @Test("08-user-networks: one mistake per step, each named")
    func userNetworks() throws {
        let lab = "08-user-networks", name = NearMissTests.name, boxlab = Harness.binary
        // `ctr NAME OPTION… IMAGE PROGRAM…` starts a container in the background, as the lab's
        // `container run --name NAME … &` does, and sets $NAME to its program's pid (the child
        // of `boxlab container run`) once the container's state names it.
        let ctr = #"""
            ctr() {
                n=$1; shift
                \#(boxlab) container run --name $n "$@" </dev/null >$n.log 2>&1 &
                p=$! i=0
                until c=$(cut -d' ' -f1 /proc/$p/task/$p/children 2>/dev/null) && [ -n "$c" ] &&
                      grep -Eq "\"pid\" ?: ?$c[^0-9]" $BOXLAB_RUN_DIR/containers/$n/state.json 2>/dev/null; do
                    i=$((i+1)); [ $i -lt 100 ] || { echo "container $n did not start:" >&2; cat $n.log >&2; return 1; }
                    sleep 0.1
                done
                sleep 0.3
                eval "$n=$c"
            }
            stop() { kill -9 $1; while kill -0 $1 2>/dev/null; do sleep 0.1; done; }

            """#
        let busybox = "image httpd -f -h /etc -p"
        try walk(lab, [
            // redis listening on another port.
            Probe(step: 1, mistake: ctr + """
                \(boxlab) image build image >/dev/null
                ip link add docker0 type bridge
                ip addr add 172.17.0.1/16 dev docker0
                ip link set docker0 up
                ctr redis --network docker0 --ip 172.17.0.2/16 \(busybox) 6380
                ctr app --network docker0 --ip 172.17.0.3/16 image sleep 1000
                \(name) redis=$redis --set app=$app \(lab) >/dev/null || true
                """,
                  says: ["✗ 172.17.0.2:6379 accepts a TCP connection from $app", "found: connect: ECONNREFUSED", "cause: nothing listens on port 6379 there"],
                  // A second server in redis: restarted at the same address, app's ARP entry
                  // for it would point at the old veth's MAC a while.
                  putRight: "nsenter -t $redis -m -n -p -r -w busybox httpd -p 6379 -h /etc"),
            // --link to the wrong container: /etc/hosts names app, not redis.
            Probe(step: 2, mistake: ctr + """
                ctr legacy --link app --network docker0 --ip 172.17.0.4/16 image sleep 1000
                \(name) legacy=$legacy \(lab) >/dev/null || true
                """,
                  says: ["✗ redis resolves to 172.17.0.2 from $legacy", "found: redis is not in $legacy's /etc/hosts (it names localhost, legacy, app)"],
                  putRight: ctr + """
                stop $legacy
                ctr legacy --link redis --network docker0 --ip 172.17.0.4/16 image sleep 1000
                \(name) legacy=$legacy \(lab) >/dev/null || true
                """),
            // redis restarted at the same address: nothing is stale.
            Probe(step: 3, mistake: ctr + """
                stop $redis
                ctr redis --network docker0 --ip 172.17.0.2/16 \(busybox) 6379
                \(name) redis=$redis \(lab) >/dev/null || true
                """,
                  // 172.17.0.2 still refuses from $legacy: its ARP entry names the old redis's MAC.
                  says: ["✗ 172.17.0.5:6379 accepts a TCP connection from $legacy", "found: connect: ETIMEDOUT",
                         "cause: nothing on $legacy's link answers ARP for 172.17.0.5"],
                  putRight: ctr + """
                stop $redis
                ctr redis --network docker0 --ip 172.17.0.5/16 \(busybox) 6379
                \(name) redis=$redis \(lab) >/dev/null || true
                """),
            // backend's subnet a /24.
            Probe(step: 4, mistake: """
                \(boxlab) network create --subnet 172.18.0.0/16 --gateway 172.18.0.1 frontend >/dev/null
                \(boxlab) network create --subnet 172.19.0.0/24 --gateway 172.19.0.1 backend >/dev/null
                """,
                  says: ["✗ backend has address 172.19.0.1/16", "found: backend has 172.19.0.1/24", "cause: the prefix length is /24, not /16"],
                  putRight: """
                \(boxlab) network rm backend >/dev/null
                \(boxlab) network create --subnet 172.19.0.0/16 --gateway 172.19.0.1 backend >/dev/null
                """),
            // client put on backend: it shares a network with db, whose name it then finds.
            Probe(step: 5, mistake: ctr + """
                ctr db --network backend --ip 172.19.0.2/16 \(busybox) 5432
                ctr web --network frontend --ip 172.18.0.3/16 \(busybox) 80
                ctr client --network backend --ip 172.19.0.4/16 image sleep 1000
                \(name) db=$db --set web=$web --set client=$client \(lab) >/dev/null || true
                """,
                  says: ["✗ db does not resolve from $client", "found: db resolves",
                         "cause: $client finds db in its /etc/hosts (a --link line) or through the embedded resolver"],
                  // Put right by hand (connect frontend, disconnect backend, a default route) the
                  // kernel would show step 9's state as well, and `next` would jump there.
                  // The host ends of their veths go a moment after: the step's `container run` needs the names.
                  undo: ctr + """
                stop $client
                stop $web
                stop $db
                for end in vb-client vb-web vb-db; do
                    i=0; while ip link show $end >/dev/null 2>&1 && [ $i -lt 100 ]; do i=$((i+1)); sleep 0.1; done
                done
                """),
            // web connected to backend at another address.
            Probe(step: 6, mistake: "\(boxlab) network connect --ip 172.19.0.4/16 backend web >/dev/null",
                  says: ["✗ eth1 in $web has address 172.19.0.3/16", "found: eth1 in $web has 172.19.0.4/16"],
                  putRight: """
                \(boxlab) network disconnect backend web >/dev/null
                \(boxlab) network connect --ip 172.19.0.3/16 backend web >/dev/null
                """),
            // Forwarding for IPv6 turned on, IPv4's left off.
            Probe(step: 7, mistake: "sysctl -w net.ipv4.ip_forward=0 >/dev/null\nsysctl -w net.ipv6.conf.all.forwarding=1 >/dev/null",
                  says: ["✗ 172.19.0.2 answers ping from $client", "found: no reply",
                         "cause: 172.19.0.2 is on none of $client's subnets: its packets are routed through the host, which forwards none while net.ipv4.ip_forward is 0"],
                  putRight: "sysctl -w net.ipv4.ip_forward=1 >/dev/null"),
            // The chains made, but FORWARD never jumps to them: they see no packet.
            Probe(step: 8, mistake: """
                iptables -N DOCKER-ISOLATION-STAGE-1
                iptables -N DOCKER-ISOLATION-STAGE-2
                iptables -A DOCKER-ISOLATION-STAGE-1 -i frontend ! -o frontend -j DOCKER-ISOLATION-STAGE-2
                iptables -A DOCKER-ISOLATION-STAGE-1 -i backend ! -o backend -j DOCKER-ISOLATION-STAGE-2
                iptables -A DOCKER-ISOLATION-STAGE-1 -j RETURN
                iptables -A DOCKER-ISOLATION-STAGE-2 -o frontend -j DROP
                iptables -A DOCKER-ISOLATION-STAGE-2 -o backend -j DROP
                iptables -A DOCKER-ISOLATION-STAGE-2 -j RETURN
                """,
                  says: ["✗ 172.19.0.2 does not answer ping from $client", "found: 172.19.0.2 answers ping from $client",
                         "routed through the host, no FORWARD rule drops the packets (a chain sees only what FORWARD jumps to"],
                  putRight: "iptables -I FORWARD -j DOCKER-ISOLATION-STAGE-1"),
            // web disconnected from frontend, its first network, instead of backend.
            Probe(step: 9, mistake: "\(boxlab) network disconnect frontend web >/dev/null",
                  says: ["✗ there is no link eth1 in $web", "✗ db does not resolve from $web"],
                  // web's new eth0 is a new veth, with a new MAC, which client's ARP cache
                  // learns only once its entry for 172.18.0.3 has gone stale.
                  putRight: """
                \(boxlab) network connect --ip 172.18.0.3/16 frontend web >/dev/null
                \(boxlab) network disconnect backend web >/dev/null
                nsenter -t $client -n ip neigh flush dev eth0
                """),
        ])
    }
}
