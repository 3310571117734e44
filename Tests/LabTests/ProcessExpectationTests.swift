import Glibc
import Kernel
@testable import Lab
import Testing

@Suite("Process expectations")
struct ProcessExpectationTests {
    @Test("each form parses")
    func parses() throws {
        #expect(try ExpectationParser.parse("ns uts $c1 != host") == .process(.namespace(kind: .uts, first: "$c1", second: "host", same: false)))
        #expect(try ExpectationParser.parse("ns mount $c1 == $c2") == .process(.namespace(kind: .mnt, first: "$c1", second: "$c2", same: true)))
        #expect(try ExpectationParser.parse("nspid $c2 == 1") == .process(.namespacePid(process: "$c2", pid: 1)))
        #expect(try ExpectationParser.parse(#"hostname $c1 == "box1""#) == .process(.hostname(process: "$c1", name: "box1", equal: true)))
        #expect(try ExpectationParser.parse(#"uid-map $c5 == "0  0 1""#) == .process(.idMap(process: "$c5", file: .uid, map: "0 0 1")))
        #expect(try ExpectationParser.parse(#"uid_map $c5 == "0 100000 65536""#) == .process(.idMap(process: "$c5", file: .uid, map: "0 100000 65536")))
        #expect(try ExpectationParser.parse(#"gid_map $c5 == "0 100000 65536""#) == .process(.idMap(process: "$c5", file: .gid, map: "0 100000 65536")))
        #expect(try ExpectationParser.parse("caps $c1 eff == CAP_CHOWN,kill,cap_net_raw")
                == .process(.capabilities(process: "$c1", set: .effective, value: .exactly(CapabilitySet(mask: 1 << 0 | 1 << 5 | 1 << 13)))))
        #expect(try ExpectationParser.parse("caps $c1 bounding == all") == .process(.capabilities(process: "$c1", set: .bounding, value: .all)))
        #expect(try ExpectationParser.parse("caps $c1 amb == none") == .process(.capabilities(process: "$c1", set: .ambient, value: .exactly(CapabilitySet(mask: 0)))))
        #expect(try ExpectationParser.parse("not caps $c1 prm == all") == .not(.process(.capabilities(process: "$c1", set: .permitted, value: .all))))
        #expect(try ExpectationParser.parse("caps $c1 inh == none") == .process(.capabilities(process: "$c1", set: .inheritable, value: .exactly(CapabilitySet(mask: 0)))))
        #expect(try ExpectationParser.parse("no_new_privs $c1") == .process(.noNewPrivileges(process: "$c1")))
        #expect(try ExpectationParser.parse("not no_new_privs $c1") == .not(.process(.noNewPrivileges(process: "$c1"))))
        #expect(try ExpectationParser.parse("owner rootfs/made == 100000") == .owner(path: "rootfs/made", uid: 100000))
        #expect(try ExpectationParser.parse("not owner made == 0") == .not(.owner(path: "made", uid: 0)))
        #expect(try ExpectationParser.parse("process $c2 ended") == .process(.state(process: "$c2", running: false)))
        #expect(try ExpectationParser.parse("mount scratch fstype=tmpfs in $c3")
                == .within(process: "$c3", .mount(path: "scratch", fstype: "tmpfs", propagation: nil, readOnly: nil, options: [])))
        #expect(try ExpectationParser.parse("not mount scratch in $c3")
                == .not(.within(process: "$c3", .mount(path: "scratch", fstype: nil, propagation: nil, readOnly: nil, options: []))))
    }

    @Test("mistakes name the form", arguments: [
        ("ns bogus $c1 == host", "unknown namespace kind 'bogus': cgroup, ipc, mnt, net, pid, time, user, uts (expected: ns KIND PROC ==|!= PROC)"),
        ("ns uts $c1 = host", "ns takes a kind, a process, == or != and a process (expected: ns KIND PROC ==|!= PROC)"),
        ("nspid $c1 == one", "nspid takes a process, == and a number (expected: nspid PROC == N)"),
        ("process $c1 sleeping", "process takes a process and running or ended (expected: process PROC running|ended)"),
        ("caps $c1 eff = chown", "caps takes a process, a set, == and a list (expected: caps PROC eff|prm|inh|bnd|amb == none|all|CAP,CAP...)"),
        ("caps $c1 eff == chown kill", "caps takes a process, a set, == and a list (expected: caps PROC eff|prm|inh|bnd|amb == none|all|CAP,CAP...)"),
        ("caps $c1 cur == all", "unknown capability set 'cur': eff, prm, inh, bnd or amb (expected: caps PROC eff|prm|inh|bnd|amb == none|all|CAP,CAP...)"),
        ("caps $c1 eff == chown,,kill", "unknown capability '': names are those of capabilities(7), such as chown or cap_net_raw (expected: caps PROC eff|prm|inh|bnd|amb == none|all|CAP,CAP...)"),
        ("caps $c1 eff == cap_fly", "unknown capability 'cap_fly': names are those of capabilities(7), such as chown or cap_net_raw (expected: caps PROC eff|prm|inh|bnd|amb == none|all|CAP,CAP...)"),
        ("no_new_privs", "no_new_privs takes a process (expected: no_new_privs PROC)"),
        ("no_new_privs $c1 == 1", "no_new_privs takes a process (expected: no_new_privs PROC)"),
        (#"uid_map $c1 == "0 100000""#, "'0 100000' is not a map: INSIDE OUTSIDE COUNT, three numbers (lines apart) (expected: uid_map PROC == \"MAP\")"),
        (#"gid_map $c1 == "0 x 1""#, "'0 x 1' is not a map: INSIDE OUTSIDE COUNT, three numbers (lines apart) (expected: gid_map PROC == \"MAP\")"),
        ("gid_map $c1", "gid_map takes a process, == and the map (expected: gid_map PROC == \"MAP\")"),
        ("owner made == root", "owner takes a path, == and a uid (expected: owner PATH == UID)"),
        ("owner made 100000", "owner takes a path, == and a uid (expected: owner PATH == UID)"),
        ("owner", "owner needs a path (expected: owner PATH == UID)"),
    ])
    func mistakes(line: String, message: String) {
        do {
            _ = try ExpectationParser.parse(line)
            Issue.record("\(line) must not parse")
        } catch {
            #expect(error.description == message)
        }
    }

    @Test("an unset variable fails the check and says how to set it")
    func unset() throws {
        let evaluator = Evaluator(workspace: Workspace(root: "/nonexistent"), variables: Variables(run: RunDirectory(path: "/nonexistent")))
        let result = evaluator.check(.process(.state(process: "$c1", running: true)))
        #expect(!result.passed)
        #expect(result.found == "$c1 is not set")
        #expect(result.cause == "start the program with `… &`, then name it: c1=$!")
        // A process's network namespace: said before any namespace file is looked for, with
        // no errno the kernel never gave.
        for expectation in try [ExpectationParser.parse("reach 10.0.0.1 from $c2"), ExpectationParser.parse("link eth0 in $c2"),
                                ExpectationParser.parse("route 10.0.0.0/24 in $c2")] {
            let place = evaluator.check(expectation)
            #expect(!place.passed)
            #expect(place.found == "$c2 is not set", "\(expectation)")
        }
        // What `not` wraps fails for want of the process, so the negation holds before it starts.
        #expect(evaluator.check(try ExpectationParser.parse("not route 10.0.0.0/24 in $c2")).passed)
    }

    @Test("caps and no_new_privs read this process's own status: what differs, its mask and why")
    func ownCapabilities() throws {
        let evaluator = Evaluator(workspace: Workspace(root: "/nonexistent"), variables: Variables(run: RunDirectory(path: "/nonexistent")))
        let pid = "\(getpid())"
        let own = try #require(ProcessCapabilities.of(getpid()))
        let bounding = evaluator.check(.process(.capabilities(process: pid, set: .bounding, value: .exactly(own[.bounding]))))
        #expect(bounding.passed, "\(bounding)")
        if own[.bounding].mask != 0 {
            let none = evaluator.check(.process(.capabilities(process: pid, set: .bounding, value: .exactly(CapabilitySet(mask: 0)))))
            #expect(!none.passed)
            #expect(none.summary == "\(pid)'s bounding set is empty")
            #expect(none.found?.contains("(CapBnd \(own[.bounding].hex); more: ") == true, "\(none)")
            #expect(none.cause?.hasPrefix("nothing dropped them: the bounding set shrinks by PR_CAPBSET_DROP in the process itself, before exec") == true)
            // The negation holds, and a set never holds a capability twice.
            #expect(evaluator.check(.not(.process(.capabilities(process: pid, set: .bounding, value: .exactly(CapabilitySet(mask: 0)))))).passed)
        }
        let flag = evaluator.check(.process(.noNewPrivileges(process: pid)))
        #expect(flag.passed == own.noNewPrivileges)
        if !flag.passed { #expect(flag.found == "NoNewPrivs is 0" && flag.cause?.contains("--no-new-privs") == true) }
        let gone = evaluator.check(.process(.noNewPrivileges(process: "999999999")))
        #expect(!gone.passed && gone.found?.contains("has ended") == true)
    }

    @Test("owner compares the file's uid, and says whose it is")
    func owner() throws {
        var template = Array("/tmp/boxlab-owner-XXXXXX".utf8CString)
        let directory = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)) }
        defer { _ = unlink(directory + "/made"); _ = rmdir(directory) }
        try FileSystem.writeFile(directory + "/made", [])
        let evaluator = Evaluator(workspace: Workspace(root: directory, confined: false), variables: Variables(run: RunDirectory(path: "/nonexistent")))
        #expect(evaluator.check(.owner(path: "made", uid: getuid())).passed)
        let other = evaluator.check(.owner(path: "made", uid: getuid() + 100000))
        #expect(!other.passed)
        #expect(other.found == "it is owned by uid \(getuid()), gid \(getgid())")
        #expect(other.cause != nil)
        let negated = evaluator.check(.not(.owner(path: "made", uid: getuid())))
        #expect(!negated.passed && negated.summary == "made is not owned by uid \(getuid())")
        let missing = evaluator.check(.owner(path: "absent", uid: 0))
        #expect(!missing.passed && missing.found == "absent does not exist")
    }
}
