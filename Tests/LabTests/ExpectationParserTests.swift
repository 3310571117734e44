import Testing
import Kernel
@testable import Lab

struct ExpectationParserTests {
    @Test func mountWithOptions() throws {
        let expectation = try ExpectationParser.parse("mount merged fstype=overlay lowerdir=l3:l2:l1 propagation=private ro")
        guard case .mount(let path, let fstype, let propagation, let readOnly, let options) = expectation else {
            Issue.record("parsed as \(expectation)")
            return
        }
        #expect(path == "merged")
        #expect(fstype == "overlay")
        #expect(propagation == "private")
        #expect(readOnly == true)
        #expect(options.map(\.key) == ["lowerdir"])
        #expect(options.map(\.value) == ["l3:l2:l1"])
    }

    @Test func fileContent() throws {
        #expect(try ExpectationParser.parse("file merged/a.txt == \"I'm from upper\"") == .file(path: "merged/a.txt", content: .equals("I'm from upper")))
        #expect(try ExpectationParser.parse("file a contains 'x y'") == .file(path: "a", content: .contains("x y")))
        #expect(try ExpectationParser.parse("file a") == .file(path: "a", content: nil))
    }

    @Test func negationAndInvariants() throws {
        let not = try ExpectationParser.parse("no mount merged")
        #expect(not == .not(.mount(path: "merged", fstype: nil, propagation: nil, readOnly: nil, options: [])))
        #expect(not.subject == "merged")
        #expect(not.changesWithStep)
        let still = try ExpectationParser.parse("still whiteout upper/x")
        #expect(still == .still(.whiteout(path: "upper/x")))
        #expect(!still.changesWithStep)
    }

    @Test func otherForms() throws {
        #expect(try ExpectationParser.parse("dir merged has a b") == .directory(path: "merged", entries: ["a", "b"]))
        #expect(try ExpectationParser.parse("absent x") == .absent(path: "x"))
        #expect(try ExpectationParser.parse("opaque upper/d") == .opaque(path: "upper/d"))
        #expect(try ExpectationParser.parse("same a b") == .sameFile("a", "b"))
    }

    @Test func networkForms() throws {
        #expect(try ExpectationParser.parse("netns red") == .netns(name: "red"))
        let link = try ExpectationParser.parse("link eth0 in red kind=veth up master=br0 mtu=1500 peer=blue:eth0")
        guard case .link(let want) = link else { Issue.record("\(link)"); return }
        #expect(want.name == "eth0" && want.namespace == "red" && want.kind == "veth" && want.up == true)
        #expect(want.master == "br0" && want.mtu == 1500 && want.peer?.namespace == "blue" && want.peer?.name == "eth0")
        let local = try ExpectationParser.parse("link veth-red peer=veth-blue")
        guard case .link(let same) = local else { Issue.record("\(local)"); return }
        #expect(same.peer?.namespace == "host", "an unqualified peer is in the link's own namespace")
        #expect(try ExpectationParser.parse("address 10.0.0.1/24 on eth0 in red") == .address(prefix: "10.0.0.1/24", link: "eth0", namespace: "red"))
        #expect(try ExpectationParser.parse("route default via 172.17.0.1 in c1")
            == .route(destination: "default", via: "172.17.0.1", device: nil, onlink: false, namespace: "c1"))
        #expect(try ExpectationParser.parse("fdb docker0 has c2:eth0 on veth-c2")
            == .fdb(ForwardingExpectation(device: "docker0", entry: .link(LinkName(namespace: "c2", name: "eth0")), place: .port("veth-c2"), namespace: "host")))
        #expect(try ExpectationParser.parse("reach 10.0.0.2 from red") == .reach(address: "10.0.0.2", from: "red"))
        #expect(try ExpectationParser.parse("connect 10.0.0.2:80 from host") == .connect(address: "10.0.0.2", port: 80, from: "host"))
        #expect(try ExpectationParser.parse("not link veth-c3").settles)
        #expect(try ExpectationParser.parse("same-netns 1234 host") == .sameNetworkNamespace("1234", "host"))
    }

    @Test func macvlanAndIpvlanForms() throws {
        let moved = try ExpectationParser.parse("link eth0 in m1 kind=macvlan mode=bridge parent=host:uplink up")
        guard case .link(let want) = moved else { Issue.record("\(moved)"); return }
        #expect(want.kind == "macvlan" && want.mode == "bridge" && want.up == true)
        #expect(want.parent?.namespace == "host" && want.parent?.name == "uplink")
        let beside = try ExpectationParser.parse("link mv-host kind=macvlan parent=uplink")
        guard case .link(let local) = beside else { Issue.record("\(beside)"); return }
        #expect(local.parent?.namespace == "host" && local.parent?.name == "uplink", "an unqualified parent is in the link's own namespace")
        #expect(try ExpectationParser.parse("same-mac v1:eth0 host:uplink2")
            == .sameMAC(LinkName(namespace: "v1", name: "eth0"), LinkName(namespace: "host", name: "uplink2")))
        #expect(try ExpectationParser.parse("not same-mac eth0 uplink in m1")
            == .not(.sameMAC(LinkName(namespace: "m1", name: "eth0"), LinkName(namespace: "m1", name: "uplink"))))
        #expect(LinkName(namespace: "host", name: "uplink").description == "uplink")
    }

    /// Lab 11's forms: flannel's vxlan backend done by hand on node2.
    @Test func vxlanForms() throws {
        let link = try ExpectationParser.parse("link flannel.1 in node2 kind=vxlan id=1 dstport=8472 local=192.168.32.129 dev=eth0")
        guard case .link(let want) = link else { Issue.record("\(link)"); return }
        #expect(want.kind == "vxlan" && want.vni == 1 && want.dstport == 8472 && want.local == "192.168.32.129" && want.device == "eth0")
        let node3 = try #require(IPAddress("192.168.32.130")), mac = try #require(MACAddress("0e:00:00:00:02:00"))
        #expect(try ExpectationParser.parse("fdb flannel.1 has 0e:00:00:00:02:00 dst 192.168.32.130 in node2")
            == .fdb(ForwardingExpectation(device: "flannel.1", entry: .address(mac), place: .destination(node3), namespace: "node2")))
        #expect(try ExpectationParser.parse("fdb flannel.1 has node3:flannel.1 dst 192.168.32.130 in node2")
            == .fdb(ForwardingExpectation(device: "flannel.1", entry: .link(LinkName(namespace: "node3", name: "flannel.1")), place: .destination(node3), namespace: "node2")))
        #expect(try ExpectationParser.parse("fdb docker0 has 02:42:ac:11:00:02 on veth-c1")
            == .fdb(ForwardingExpectation(device: "docker0", entry: .address(try #require(MACAddress("02:42:ac:11:00:02"))), place: .port("veth-c1"), namespace: "host")))
        #expect(try ExpectationParser.parse("route 172.18.2.0/24 via 172.18.2.0 dev flannel.1 onlink in node2")
            == .route(destination: "172.18.2.0/24", via: "172.18.2.0", device: "flannel.1", onlink: true, namespace: "node2"))
        #expect(try ExpectationParser.parse("neigh 172.18.2.0 lladdr 0e:00:00:00:02:00 dev flannel.1 in node2")
            == .neighbour(address: "172.18.2.0", linkAddress: .address(mac), device: "flannel.1", namespace: "node2"))
        #expect(try ExpectationParser.parse("neigh 172.18.2.0 lladdr node3:flannel.1 dev flannel.1 in node2")
            == .neighbour(address: "172.18.2.0", linkAddress: .link(LinkName(namespace: "node3", name: "flannel.1")), device: "flannel.1", namespace: "node2"))
        #expect(try ExpectationParser.parse("neigh 172.18.2.0 lladdr flannel.1 dev flannel.1 in node2")
            == .neighbour(address: "172.18.2.0", linkAddress: .link(LinkName(namespace: "node2", name: "flannel.1")), device: "flannel.1", namespace: "node2"),
                "an unqualified link is in the expectation's namespace")
        #expect(Expectation.fdb(ForwardingExpectation(device: "flannel.1", entry: .address(mac), place: .destination(node3), namespace: "node2")).undoing
            == "`bridge -n node2 fdb del 0e:00:00:00:02:00 dev flannel.1 dst 192.168.32.130` removes it")
    }

    @Test("bad network expectations", arguments: [
        ("address 10.0.0.1 on eth0", "'10.0.0.1' is not ADDRESS/PREFIX, e.g. 10.0.0.1/24 (expected: address ADDRESS/PREFIX on LINK [in NS])"),
        ("link eth0 state=UP", "unknown link property 'state': kind, master, mtu, peer, mode, parent, id, dstport, local, dev, up or down (expected: link NAME [in NS] [kind=K] [up|down] [master=BRIDGE] [mtu=N] [peer=[NS:]NAME] [mode=M] [parent=[NS:]NAME] [id=VNI] [dstport=P] [local=ADDRESS] [dev=LINK])"),
        ("route 10.0.0.0/24 via nowhere", "'nowhere' is not an address (expected: route DESTINATION|default [via GATEWAY] [dev LINK] [onlink] [in NS])"),
        ("route 10.0.0.0/24 dev eth0 onlink", "onlink needs via GATEWAY and dev LINK (expected: route DESTINATION|default [via GATEWAY] [dev LINK] [onlink] [in NS])"),
        ("link flannel.1 id=16777216", "a VXLAN id is a number below 16777216, not '16777216' (expected: link NAME [in NS] [kind=K] [up|down] [master=BRIDGE] [mtu=N] [peer=[NS:]NAME] [mode=M] [parent=[NS:]NAME] [id=VNI] [dstport=P] [local=ADDRESS] [dev=LINK])"),
        ("link flannel.1 dstport=vxlan", "dstport is a UDP port, not 'vxlan' (expected: link NAME [in NS] [kind=K] [up|down] [master=BRIDGE] [mtu=N] [peer=[NS:]NAME] [mode=M] [parent=[NS:]NAME] [id=VNI] [dstport=P] [local=ADDRESS] [dev=LINK])"),
        ("fdb flannel.1 has 0e:00:00:00:02:00 to 192.168.32.130", "expected fdb BRIDGE has MAC|[NS:]LINK on PORT, or fdb DEVICE has MAC|[NS:]LINK dst ADDRESS (expected: fdb BRIDGE|DEVICE has MAC|[NS:]LINK on PORT|dst ADDRESS [in NS])"),
        ("fdb flannel.1 has 0e:00:00:00:02:00 dst node3", "'node3' is not an address (expected: fdb BRIDGE|DEVICE has MAC|[NS:]LINK on PORT|dst ADDRESS [in NS])"),
        ("neigh 172.18.2.0 lladdr 0e:00:00:00:02:00", "after the address, expected lladdr MAC|[NS:]LINK dev LINK (expected: neigh ADDRESS lladdr MAC|[NS:]LINK dev LINK [in NS])"),
        ("neigh node3 lladdr 0e:00:00:00:02:00 dev flannel.1", "'node3' is not an address (expected: neigh ADDRESS lladdr MAC|[NS:]LINK dev LINK [in NS])"),
        ("reach red", "'red' is not an address (expected: reach ADDRESS from NS|host)"),
        ("connect 10.0.0.1 from red", "'10.0.0.1' is not ADDRESS:PORT (expected: connect ADDRESS:PORT from NS|host)"),
        ("same-mac eth0", "same-mac takes two links: [NS:]LINK [NS:]LINK (expected: same-mac [NS:]LINK [NS:]LINK)"),
        ("link eth0 in", "'in' needs a namespace name (expected: link NAME [in NS] [kind=K] [up|down] [master=BRIDGE] [mtu=N] [peer=[NS:]NAME] [mode=M] [parent=[NS:]NAME] [id=VNI] [dstport=P] [local=ADDRESS] [dev=LINK])"),
    ])
    func badNetwork(line: String, message: String) {
        do {
            _ = try ExpectationParser.parse(line)
            Issue.record("\(line) was accepted")
        } catch {
            #expect(error.description == message)
        }
    }

    @Test("bad expectations say what was expected", arguments: [
        ("mounted x", "unknown expectation 'mounted' (expected: one of: mount, file, dir, absent, whiteout, opaque, same, netns, link, address, route, fdb, neigh, reach, connect, same-netns, same-mac, sysctl, nat, chain, seen-from, conntrack, resolve, captured, etcd, ns, nspid, hostname, uid_map, gid_map, caps, no_new_privs, process, owner, cgroup, seccomp, denied, allowed, not, still)"),
        ("mount", "mount needs a path (expected: mount PATH [fstype=T] [propagation=P] [ro|rw] [OPTION=VALUE...])"),
        ("mount m overlay", "'overlay' is not KEY=VALUE (expected: mount PATH [fstype=T] [propagation=P] [ro|rw] [OPTION=VALUE...])"),
        ("mount m propagation=up", "propagation is private, shared, slave or unbindable, not 'up'"),
        ("file a = b", "after the path, expected == \"TEXT\" or contains \"TEXT\" (expected: file PATH [== \"TEXT\" | contains \"TEXT\"])"),
        ("dir a with b", "after the path, expected has NAME... (expected: dir PATH [has NAME...])"),
        ("whiteout a b", "whiteout takes one path"),
        ("same a", "same takes two paths (expected: same PATH PATH)"),
        ("not", "empty expectation"),
        ("file \"a", "unterminated double quote: add the closing \""),
    ])
    func bad(line: String, message: String) {
        #expect(throws: ExpectationError.self) { try ExpectationParser.parse(line) }
        do { _ = try ExpectationParser.parse(line) } catch { #expect(error.description == message) }
    }
}

struct CgroupExpectationParserTests {
    private func cgroup(_ line: String) throws -> CgroupExpectation {
        guard case .cgroup(let cgroup) = try ExpectationParser.parse(line) else { throw ExpectationError(message: "not a cgroup expectation") }
        return cgroup
    }

    @Test func forms() throws {
        #expect(try cgroup("cgroup demo") == CgroupExpectation(group: "demo"))
        #expect(try cgroup("cgroup demo memory == 32M").property == .memory(.value(32 << 20)))
        #expect(try cgroup("cgroup demo memory == max").property == .memory(.max))
        #expect(try cgroup("cgroup demo pids == 10").property == .pids(.value(10)))
        #expect(try cgroup("cgroup demo cpu == 10000/100000").property == .cpu(CPULimit(quota: .value(10000), period: 100_000)))
        #expect(try cgroup("cgroup demo cpu == max").property == .cpu(CPULimit(quota: .max)))
        #expect(try cgroup("cgroup a/b frozen").property == .frozen(true))
        #expect(try cgroup("cgroup demo thawed").property == .frozen(false))
        #expect(try cgroup("cgroup demo has $c1").property == .member("$c1"))
        #expect(try cgroup("cgroup demo memory.events oom_kill >= 1").property == .counter(file: "memory.events", key: "oom_kill", comparison: .atLeast, value: 1))
        #expect(try cgroup("cgroup demo pids.events max > 0").property == .counter(file: "pids.events", key: "max", comparison: .above, value: 0))
        #expect(try ExpectationParser.parse("not cgroup demo") == .not(.cgroup(CgroupExpectation(group: "demo"))))
        #expect(try ExpectationParser.parse("cgroup demo memory == 32M").subject == "cgroup demo memory")
    }

    @Test func errorsNameTheForm() {
        for (line, message) in [
            ("cgroup demo memory == 32MB", "'32MB' is not a size: write 32M, 33554432 or max"),
            ("cgroup demo memory >= 32M", "a limit is compared with ==, not >="),
            ("cgroup demo pids == ten", "'ten' is not a count: write a whole number such as 10, or max"),
            ("cgroup demo memory.events oom_kill => 1", "'=>' is not a comparison: ==, !=, >=, >, <= or <"),
            ("cgroup", "cgroup needs a group, relative to the lab's cgroup root"),
        ] {
            #expect(throws: ExpectationError(message: message, form: ExpectationParser.forms.first { $0.hasPrefix("cgroup ") })) { try ExpectationParser.parse(line) }
        }
    }
}
