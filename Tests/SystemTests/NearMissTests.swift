import Foundation
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
    }

    /// Takes `lab` in exercise mode, making each probe's mistake at its step.
    func walk(_ lab: String, _ probes: [Probe]) throws {
        let harness = Harness()
        let repl = try SessionTests.OpenRepl(harness, [lab, "--mode", "exercise", "--restart"])
        let total = probes.count
        #expect(repl.waitFor("\(lab) 1/\(total)>", harness))
        for probe in probes {
            var shell = try harness.boxlab("shell", "-c", "set -e\n" + probe.mistake)
            #expect(shell.status == 0, "step \(probe.step), the mistake: \(shell.output)")
            let check = try harness.boxlab("check", lab, "--step", "\(probe.step)")
            #expect(check.status == 1, "step \(probe.step) must fail: \(check.stdout)")
            harness.expectLines(probe.says, in: check.stdout)
            if let putRight = probe.putRight {
                shell = try harness.boxlab("shell", "-c", "set -e\n" + putRight)
                #expect(shell.status == 0, "step \(probe.step), put right: \(shell.output)")
                repl.type("next")
            } else {
                shell = try harness.boxlab("shell", "-c", "set -e\n" + (probe.undo ?? ""))
                #expect(shell.status == 0, "step \(probe.step), undone: \(shell.output)")
                repl.type("skip")
            }
            let next = probe.step < total ? "\(lab) \(probe.step + 1)/\(total)>" : "✓ \(lab) complete"
            #expect(repl.waitFor(next, harness), "step \(probe.step) passes once put right")
        }
        let ended = repl.quit()
        #expect(ended.status == 0, "\(ended.output)")
        harness.expectNothingLeft()
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
            Probe(step: 5, mistake: "rm upper/in_both.txt",
                  says: ["found: merged/in_both.txt is a regular file reading \"I'm from lower\"",
                         "cause: a file deleted directly in the upper layer leaves no whiteout; delete it through the merged view"],
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
                ip netns exec c1 ping -c 2 172.17.0.3
                ip netns exec c2 ping -c 2 172.17.0.4
                """),
            Probe(step: 4, mistake: "ip link del veth-c3",
                  says: ["✗ there is no network namespace c3", "found: network namespace c3 exists (/run/netns/c3)", "cause: `ip netns del c3` removes it"],
                  putRight: "ip netns del c3"),
        ])
    }
}
