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
                  // `not` says only "it holds", with no cause: a gap, named in the report.
                  says: ["✗ there is no network namespace blue", "found: it holds"],
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
}
