import Foundation
import Testing

/// Programs started with fewer privileges (setpriv's options) and a user namespace mapped by
/// hand, checked against what the kernel shows in /proc/PID/status, uid_map and a file's owner.
@Suite(.enabled(if: Harness.isRoot, "needs root: capabilities and user namespaces"))
struct PrivilegeTests {
    /// The status lines of a process, printed by the lab's `cat /proc/PID/status`.
    private func statusLine(_ field: String, after marker: String, in output: String) -> String? {
        guard let start = output.range(of: marker) else { return nil }
        return output[start.upperBound...].split(separator: "\n").first { $0.hasPrefix(field + ":") }.map(String.init)
    }

    @Test("--bounding-set, --no-new-privs, --reuid and ambient capabilities show in the child's /proc/PID/status")
    func privileges() throws {
        let harness = Harness()
        let lab = try harness.writeLab("93-privileges.md", """
            ---
            id: 93-privileges
            title: Fewer privileges
            ---
            ## Step 1: Start them
            ```run
            unshare --uts --bounding-set -all,+chown,+net_bind_service --no-new-privs sleep 1000 &
            c1=$!
            setpriv --reuid 1000 --regid 1000 --clear-groups sleep 1001 &
            c2=$!
            setpriv --inh-caps +net_raw --ambient-caps +net_raw --reuid 1000 sleep 1002 &
            c3=$!
            echo one
            cat /proc/$c1/status
            echo two
            cat /proc/$c2/status
            echo three
            cat /proc/$c3/status
            caps $c1
            ```
            ```expect
            caps $c1 bnd == chown,net_bind_service
            caps $c1 eff == CAP_CHOWN,CAP_NET_BIND_SERVICE
            caps $c1 prm == chown,net_bind_service
            caps $c1 amb == none
            no_new_privs $c1
            not no_new_privs $c2
            caps $c2 eff == none
            caps $c2 prm == none
            not caps $c2 bnd == none
            caps $c3 inh == net_raw
            caps $c3 amb == net_raw
            caps $c3 eff == net_raw
            ```
            """)
        let result = try harness.boxlab("run", lab)
        #expect(result.status == 0, "\(result.output)")
        let out = result.stdout
        // The kernel's own view, read by cat, not by BoxLab's decoding: CAP_CHOWN is bit 0,
        // CAP_NET_BIND_SERVICE bit 10, CAP_NET_RAW bit 13.
        #expect(statusLine("CapBnd", after: "one\n", in: out) == "CapBnd:\t0000000000000401", "\(out)")
        #expect(statusLine("CapEff", after: "one\n", in: out) == "CapEff:\t0000000000000401")
        #expect(statusLine("NoNewPrivs", after: "one\n", in: out) == "NoNewPrivs:\t1")
        #expect(statusLine("Uid", after: "two\n", in: out) == "Uid:\t1000\t1000\t1000\t1000")
        #expect(statusLine("Gid", after: "two\n", in: out) == "Gid:\t1000\t1000\t1000\t1000")
        #expect(statusLine("Groups", after: "two\n", in: out)?.trimmingCharacters(in: .whitespaces) == "Groups:", "setgroups(0, []): no supplementary group")
        #expect(statusLine("CapEff", after: "two\n", in: out) == "CapEff:\t0000000000000000")
        #expect(statusLine("NoNewPrivs", after: "two\n", in: out) == "NoNewPrivs:\t0")
        #expect(statusLine("Uid", after: "three\n", in: out) == "Uid:\t1000\t1000\t1000\t1000")
        #expect(statusLine("CapAmb", after: "three\n", in: out) == "CapAmb:\t0000000000002000")
        #expect(statusLine("CapEff", after: "three\n", in: out) == "CapEff:\t0000000000002000")
        // The calls, as strace shows them, in the child before exec.
        #expect(out.contains("prctl(PR_CAPBSET_DROP, CAP_DAC_OVERRIDE) = 0"), "\(out)")
        #expect(!out.contains("prctl(PR_CAPBSET_DROP, CAP_CHOWN)"))
        #expect(out.contains("prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) = 0"))
        #expect(out.contains("setresgid(1000, 1000, 1000) = 0") && out.contains("setgroups(0, []) = 0") && out.contains("setresuid(1000, 1000, 1000) = 0"))
        #expect(out.contains("prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) = 0"))
        #expect(out.contains("capset({version=_LINUX_CAPABILITY_VERSION_3, pid=0}, {effective=…, permitted=…, inheritable=…|CAP_NET_RAW}) = 0"))
        #expect(out.contains("prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_NET_RAW, 0, 0) = 0"))
        // caps decodes the five sets.
        #expect(out.contains("bounding:    0000000000000401  cap_chown,cap_net_bind_service"), "\(out)")
        #expect(out.contains("ambient:     0000000000000000  none"))
        #expect(out.contains("no_new_privs: 1"))
        #expect(out.contains("✓ $c1's bounding set is cap_chown,cap_net_bind_service"))
        #expect(out.contains("✓ $c3's ambient set is cap_net_raw"))
        try harness.resetAndExpectNothingLeft()
    }

    @Test("a uid_map and gid_map written by hand: the maps as the kernel shows them, and the owner of a file made inside")
    func mapsByHand() throws {
        let harness = Harness()
        let lab = try harness.writeLab("94-maps.md", """
            ---
            id: 94-maps
            title: Maps by hand
            ---
            ## Step 1: A user namespace whose root is uid 1000 outside
            ```sh
            mkdir -p shared && chown 1000:1000 shared
            ```
            ```run
            clone -U -u --no-map
            c1=$!
            setgroups $c1 deny
            gidmap $c1 0 1000 1000
            uidmap $c1 0 1000 1000
            cat /proc/$c1/uid_map
            exec --bounding-set -all,+chown --no-new-privs --regid 0 --keep-groups --reuid 0 sh -c 'touch shared/made; exec sleep 1000'
            sleep 1
            ```
            ```expect
            uid_map $c1 == "0 1000 1000"
            gid_map $c1 == "0  1000  1000"
            not uid_map $c1 == "0 0 1"
            owner shared/made == 1000
            not owner shared/made == 0
            caps $c1 bnd == chown
            caps $c1 eff == chown
            no_new_privs $c1
            ```
            ## Step 2: A map is written once
            ```run
            uidmap $c1 0 2000 1
            ```
            """)
        let result = try harness.boxlab("run", lab)
        let out = result.stdout
        #expect(out.contains("✓ $c1 maps ids 0 1000 1000 (inside, outside, count)"), "\(result.output)")
        #expect(out.contains("✓ $c1 maps group ids 0 1000 1000 (inside, outside, count)"))
        #expect(out.contains("✓ shared/made is owned by uid 1000"))
        #expect(out.contains("✓ $c1's bounding set is cap_chown") && out.contains("✓ $c1 runs with no_new_privs"), "the held child's exec takes setpriv's options: \(out)")
        #expect(out.range(of: #"\n\s+0\s+1000\s+1000\n"#, options: .regularExpression) != nil, "the kernel's own uid_map: \(out)")
        #expect(out.contains(#""0 1000 1000\n""#), "the write is traced: \(out)")
        #expect(out.contains("setresuid(0, 0, 0) = 0"), "root inside, after the map: \(out)")
        // The second write fails the step, with the reason.
        #expect(result.status == 1)
        #expect(result.output.contains("uidmap: cannot write /proc/"), "\(result.output)")
        #expect(result.output.contains("EPERM"))
        #expect(result.output.contains("a map is written once per user namespace"))
        try harness.resetAndExpectNothingLeft()
    }

    @Test("a rootless start: uid 1000 makes its own namespaces and maps, refused a gid_map until setgroups is denied; caps keep before exec")
    func rootless() throws {
        let harness = Harness()
        let lab = try harness.writeLab("95-rootless.md", """
            ---
            id: 95-rootless
            title: Rootless
            ---
            ## Step 1: Its own namespaces, its own maps
            ```sh
            mkdir -p home && chown 1000:1000 home
            ```
            ```run
            clone --reuid 1000 --regid 1000 --clear-groups -U --no-map -m -u
            r=$!
            uidmap $r 0 1000 1
            setgroups $r deny
            gidmap $r 0 1000 1
            hostname inside
            touch home/made
            exec sleep 1000
            echo status
            cat /proc/$r/status
            ```
            ```expect
            uid_map $r == "0 1000 1"
            gid_map $r == "0 1000 1"
            owner home/made == 1000
            hostname $r == "inside"
            caps $r eff == all
            ns user $r != host
            ```
            ## Step 2: Capabilities kept before exec
            ```run
            clone -u
            k=$!
            caps keep chown,net_raw
            exec sleep 1000
            echo kept
            cat /proc/$k/status
            ```
            ```expect
            caps $k bnd == chown,net_raw
            caps $k eff == chown,net_raw
            ```
            ## Step 3: Without setgroups denied, its gid_map is refused
            ```run
            clone --reuid 1000 --regid 1000 --clear-groups -U --no-map -u
            g=$!
            gidmap $g 0 1000 1
            ```
            """)
        let result = try harness.boxlab("run", lab)
        let out = result.stdout
        // The kernel's own view, by cat: 1000 outside, and the process made the namespace itself.
        #expect(statusLine("Uid", after: "status\n", in: out) == "Uid:\t1000\t1000\t1000\t1000", "\(result.output)")
        #expect(out.contains("[pid ") && out.contains("unshare(CLONE_NEWUSER|CLONE_NEWNS|CLONE_NEWUTS) = 0"), "\(out)")
        #expect(out.contains(#"write(</proc/self/uid_map>, "0 1000 1\n", 9) = 0"#), "the child writes its own map: \(out)")
        for line in ["✓ $r maps ids 0 1000 1", "✓ $r maps group ids 0 1000 1", "✓ home/made is owned by uid 1000", "✓ $r's hostname is inside"] {
            #expect(out.contains(line), "\(line): \(out)")
        }
        // Bits 0 (CAP_CHOWN) and 13 (CAP_NET_RAW), as the kernel shows them.
        #expect(statusLine("CapBnd", after: "kept\n", in: out) == "CapBnd:\t0000000000002001", "\(out)")
        #expect(statusLine("CapEff", after: "kept\n", in: out) == "CapEff:\t0000000000002001")
        #expect(result.status == 1)
        #expect(result.output.contains("gidmap: cannot write /proc/") && result.output.contains("EPERM"), "\(result.output)")
        #expect(result.output.contains("setgroups is still allowed in that namespace"), "\(result.output)")
        try harness.resetAndExpectNothingLeft()
    }

    @Test("bad privilege input: one line each, with the fix")
    func badInput() throws {
        let harness = Harness()
        let result = try harness.boxlab("01-namespaces", "--restart", stdin: """
            setpriv sleep 1
            setpriv --bounding-set chown sleep 1
            unshare -u --reuid root sleep 1
            unshare -U -r --reuid 1000 sleep 1
            caps 999999999
            uidmap 1 0 0
            setgroups 1 maybe
            caps keep chown
            clone --reuid 1000 -u
            clone --reuid 1000 -U -p
            clone -u
            caps drop cap_nonsense
            kill -9 $!
            clone --reuid 1000 -U -u
            touch made
            kill -9 $!
            quit

            """)
        #expect(result.status == 0, "\(result.output)")
        harness.expectLines([
            "✗ setpriv: no privilege to change",
            "✗ setpriv: --bounding-set: 'chown' needs a sign",
            "✗ unshare: --reuid: 'root' is not an id",
            "✗ unshare: cannot start sleep: EINVAL",
            "cause: that id is not mapped in the process's user namespace",
            "✗ caps: process 999999999 does not exist",
            "✗ uidmap: give a pid and ranges of three numbers",
            "✗ setgroups: 'maybe' is neither allow nor deny",
            "✗ caps: there is no process being set up",
            "cause: a process changes only its own capabilities, so a runtime drops them in its child before exec",
            "✗ clone: --reuid makes an unprivileged process, which can make namespaces only in a user namespace of its own",
            "✗ clone: an unprivileged process's own unshare(CLONE_NEWPID) puts only its children in the new PID namespace",
            "✗ caps: unknown capability 'cap_nonsense'",
            "✗ touch: cannot touch 'made': EACCES",
            "cause: the process being set up is uid 1000 outside its namespaces, with no privilege there",
        ], in: result.stdout)
        #expect(!result.output.contains("Fatal error"))
        try harness.resetAndExpectNothingLeft()
    }
}
