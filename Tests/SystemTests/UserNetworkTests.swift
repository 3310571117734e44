import Foundation
import Glibc
import Kernel
import Testing

/// Docker's user-defined networks as BoxLab makes them: the files bound over /etc/hosts,
/// /etc/hostname and /etc/resolv.conf, `--link`, `network create|connect|disconnect|rm`, the
/// embedded resolver's records, and what `reset` does after a SIGKILL. Every test has names
/// and subnets of its own: the suite's tests share the sandbox's network namespace.
@Suite(.enabled(if: Harness.isRoot, "needs root: makes namespaces, mounts, links and cgroups"))
struct UserNetworkTests {
    private func image(_ harness: Harness) throws -> String {
        let path = harness.base + "/image"
        let built = try harness.boxlab("image", "build", path)
        #expect(built.status == 0, "\(built.output)")
        return path
    }

    /// A container started in the foreground by a boxlab of its own, held by `sleep` until
    /// the test ends it; its state (pid, endpoints) as BoxLab recorded it.
    private func hold(_ harness: Harness, _ arguments: [String], name: String) throws -> (run: Child, pid: Int32) {
        let run = harness.process(["container", "run", "--name", name] + arguments + ["/bin/sh", "-c", "echo started; exec sleep 1000"])
        try run.start()
        #expect(harness.waitFor { run.output.soFar.contains("started") }, "\(run.output.soFar) \(run.errors.soFar.suffix(1500))")
        let state = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: harness.runDir + "/containers/\(name)/state.json"))) as? [String: Any]
        return (run, (state?["pid"] as? Int).map(Int32.init) ?? 0)
    }

    /// Ends a held container by its first process, as `docker stop` would; its boxlab then
    /// removes its directory.
    private func end(_ held: (run: Child, pid: Int32)) {
        kill(held.pid, SIGKILL)
        _ = held.run.wait()
    }

    /// Runs a program of the container's own inside its namespaces (util-linux's nsenter; the sandbox's user namespace is the test's own).
    private func inside(_ pid: Int32, _ program: String...) throws -> Harness.Result {
        let harness = Harness()
        defer { try? FileManager.default.removeItem(atPath: harness.base) }
        return try harness.run(Child(executable: "/usr/bin/nsenter", arguments: ["-t", "\(pid)", "-m", "-u", "-i", "-n", "-p", "--"] + program, environment: ["PATH": "/bin:/usr/bin:/sbin:/usr/sbin"]))
    }

    /// The `NAME ADDRESS` of each line of a container's records; each holder (PID:START, the
    /// container that holds the address) must be a running container's first process.
    private func records(_ harness: Harness, _ name: String) -> Set<String> {
        let text = (try? String(contentsOfFile: harness.runDir + "/containers/\(name)/dns-records", encoding: .utf8)) ?? "<none>"
        return Set(text.split(separator: "\n").map { line in
            let words = line.split(separator: " ")
            let holder = words.count == 3 ? words[2].split(separator: ":").compactMap { UInt64($0) } : []
            #expect(holder.count == 2 && ProcessTable.isRunning(Int32(holder[0]), startedAt: holder[1]), "\(name)'s records: \(line)")
            return words.prefix(2).joined(separator: " ")
        })
    }

    @Test("/etc/hosts, /etc/hostname and /etc/resolv.conf: bind mounts of the container's files; a resolver only on a user-defined network")
    func files() throws {
        let harness = Harness()
        let image = try image(harness)
        let script = "cat /proc/self/mountinfo; echo ---; cat /etc/hosts; echo ---; cat /etc/hostname; echo ---; cat /etc/resolv.conf"
        let plain = try harness.boxlab("container", "run", "--name", "un-files", "--hostname", "filesbox", image, "/bin/sh", "-c", script)
        #expect(plain.status == 0, "\(plain.output)")
        let parts = plain.stdout.components(separatedBy: "---\n")
        #expect(parts.count == 4, "\(plain.stdout)")
        guard parts.count == 4 else { return }
        // mountinfo: ID PARENT MAJOR:MINOR ROOT MOUNT-POINT …; a file's bind mount has the file as its root.
        let mounts = parts[0].split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        for name in ["hosts", "hostname", "resolv.conf"] {
            let mount = mounts.last { $0.count > 4 && $0[4] == "/etc/" + name }
            #expect(mount?[3].hasSuffix("/containers/un-files/" + name) == true, "/etc/\(name) in \(parts[0])")
            #expect(plain.stderr.contains("containers/un-files/\(name)\", \"") && plain.stderr.contains("/etc/\(name)\", NULL, MS_BIND"), "\(plain.stderr.suffix(3000))")
        }
        #expect(parts[1].hasPrefix("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"), "\(parts[1])")
        #expect(parts[2] == "filesbox\n")
        #expect(parts[3].hasPrefix("#") && !parts[3].contains("nameserver"), "no nameserver off a user network: \(parts[3])")

        let created = try harness.boxlab("network", "create", "--subnet", "10.77.1.0/24", "un-files")
        #expect(created.status == 0, "\(created.output)")
        let user = try harness.boxlab("container", "run", "--name", "un-files", "--hostname", "filesbox", "--network", "un-files", "--ip", "10.77.1.2/24",
                                      image, "/bin/sh", "-c", "cat /etc/hosts /etc/resolv.conf")
        #expect(user.status == 0, "\(user.output)")
        #expect(user.stdout.contains("10.77.1.2\tfilesbox\n") && user.stdout.contains("nameserver 127.0.0.11\noptions ndots:0\n"), "\(user.stdout)")
        #expect(try harness.boxlab("network", "rm", "un-files").status == 0)
        try harness.resetAndExpectNothingLeft()
    }

    @Test("--link writes the linked container's address into /etc/hosts once: it stays stale when that container comes back elsewhere")
    func link() throws {
        let harness = Harness()
        let image = try image(harness)
        #expect(try harness.boxlab("network", "create", "--subnet", "10.77.2.0/24", "un-link").status == 0)
        let unknown = try harness.boxlab("container", "run", "--link", "un-nothere", image, "/bin/true")
        #expect(unknown.status == 125 && unknown.stderr.contains("--link un-nothere: no running container named un-nothere"), "\(unknown.stderr)")
        let first = try hold(harness, ["--network", "un-link", "--ip", "10.77.2.2/24", image], name: "un-ldb")
        let client = try hold(harness, ["--network", "un-link", "--ip", "10.77.2.9/24", "--link", "un-ldb:db", image], name: "un-lweb")
        let before = try inside(client.pid, "cat", "/etc/hosts")
        #expect(before.stdout.contains("10.77.2.2\tdb un-ldb\n"), "\(before.output)")
        end(first)
        // Its veth goes with its network namespace, which the kernel frees shortly after.
        let host = try RouteNetlink()
        #expect(harness.waitFor(10) { (try? host.link(.name("vb-un-ldb"))) == nil })
        let second = try hold(harness, ["--network", "un-link", "--ip", "10.77.2.3/24", image], name: "un-ldb")
        let after = try inside(client.pid, "cat", "/etc/hosts")
        #expect(after.stdout.contains("10.77.2.2\tdb un-ldb\n") && !after.stdout.contains("10.77.2.3"), "stale: \(after.output)")
        end(second)
        end(client)
        #expect(try harness.boxlab("network", "rm", "un-link").status == 0)
        try harness.resetAndExpectNothingLeft()
    }

    @Test("network create, connect, disconnect, ls and rm, seen in netlink dumps; bad input is one line with the fix")
    func lifecycle() throws {
        let harness = Harness()
        let image = try image(harness)
        let host = try RouteNetlink()
        let created = try harness.boxlab("network", "create", "--subnet", "10.77.3.0/24", "--gateway", "10.77.3.254", "un-life")
        #expect(created.status == 0, "\(created.output)")
        #expect(created.stderr.contains(#"RTM_NEWLINK flags=REQUEST|ACK|CREATE|EXCL ifname="un-life" linkinfo={kind="bridge"}"#), "traced: \(created.stderr)")
        let bridge = try host.link(.name("un-life"))
        #expect(bridge.kind == "bridge" && bridge.isUp)
        #expect(try host.addresses(family: .inet).contains { $0.index == bridge.index && $0.prefix.description == "10.77.3.254/24" })
        // A bridge made by hand is a network, not a user-defined one; the container starts on it.
        try host.addLink("un-hand", .bridge)
        defer { try? host.deleteLink(.name("un-hand")) }
        try host.addAddress(IPPrefix("10.77.13.1/24")!, to: .name("un-hand"))
        try host.setLink(.name("un-hand"), [.up])

        let held = try hold(harness, ["--network", "un-hand", "--ip", "10.77.13.2/24", image], name: "un-life")
        let connected = try harness.boxlab("network", "connect", "--ip", "10.77.3.5/24", "--alias", "life", "un-life", "un-life")
        #expect(connected.status == 0, "\(connected.output)")
        let again = try harness.boxlab("network", "connect", "--ip", "10.77.13.3/24", "un-hand", "un-life")
        #expect(again.status == 125 && again.stderr.contains("un-life is on un-hand already (network disconnect un-hand un-life first)"), "\(again.stderr)")
        let inside = try RouteNetlink(in: NetworkNamespace.open(pid: held.pid))
        let eth1 = try inside.link(.name("eth1"))
        let addresses = try inside.addresses(family: .inet)
        #expect(eth1.isUp && addresses.contains { $0.index == eth1.index && $0.prefix.description == "10.77.3.5/24" })
        #expect(try host.link(.name("vb1-un-life")).master == bridge.index)
        let listed = try harness.boxlab("network", "ls")
        let rows = listed.stdout.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        #expect(rows.contains(["un-life", "bridge", "yes", "10.77.3.0/24", "10.77.3.254", "un-life"]), "\(listed.output)")
        #expect(rows.contains(["un-hand", "bridge", "no", "10.77.13.0/24", "10.77.13.1", "un-life"]), "\(listed.output)")

        let busy = try harness.boxlab("network", "rm", "un-life")
        #expect(busy.status == 125 && busy.stderr.contains("network disconnect un-life un-life first"), "\(busy.stderr)")
        let disconnected = try harness.boxlab("network", "disconnect", "un-life", "un-life")
        #expect(disconnected.status == 0, "\(disconnected.output)")
        #expect((try? inside.link(.name("eth1"))) == nil)
        #expect((try? host.link(.name("vb1-un-life"))) == nil)
        end(held)
        #expect(try harness.boxlab("network", "rm", "un-life").status == 0)
        #expect((try? host.link(.name("un-life"))) == nil)
        #expect(!FileManager.default.fileExists(atPath: harness.runDir + "/networks/un-life"))

        for (arguments, message) in [
            (["network"], "network: what should it do?"),
            (["network", "frob"], "network: unknown subcommand 'frob'"),
            (["network", "create", "--subnet", "10.77.3.1/24", "un-bad"], "network: network create: bad --subnet '10.77.3.1/24' (an IPv4 network"),
            (["network", "create", "--subnet", "10.77.4.0/24", "--gateway", "10.77.5.1", "un-bad"], "bad --gateway '10.77.5.1' (a host address inside 10.77.4.0/24"),
            (["network", "create", "un-much-too-long-name"], "bad name 'un-much-too-long-name'"),
            (["network", "connect", "--ip", "10.77.3.6/24", "un-hand", "un-gone"], "no running container named un-gone (start it first"),
            (["network", "rm", "un-hand"], "no user-defined network named un-hand (network ls lists them; a bridge made by hand goes with ip link del un-hand)"),
            (["network", "disconnect", "un-hand"], "network disconnect: missing operand (usage: network disconnect NETWORK CONTAINER)"),
        ] {
            let result = try harness.run(harness.process(arguments))
            #expect(result.status == 125 && result.stderr.contains(message) && result.stderr.split(separator: "\n").count == 1, "\(arguments): \(result.stderr)")
        }
        #expect((try? host.link(.name("un-bad"))) == nil)
        let sharing = try hold(harness, ["--network", "host", image], name: "un-hostnet")
        let refused = try harness.boxlab("network", "connect", "--ip", "10.77.13.9/24", "un-hand", "un-hostnet")
        #expect(refused.status == 125 && refused.stderr.contains("un-hostnet shares the host's network namespace (--network host)"), "\(refused.stderr)")
        // Only its own names: other suites make links in this namespace meanwhile.
        #expect(try host.links().map(\.name).filter { $0.contains("un-host") }.isEmpty)
        end(sharing)
        try harness.resetAndExpectNothingLeft()
    }

    @Test("the resolver's records: each container's name and aliases, at its address on the network it shares, and no one else's")
    func records() throws {
        let harness = Harness()
        let image = try image(harness)
        #expect(try harness.boxlab("network", "create", "--subnet", "10.77.7.0/24", "un-front").status == 0)
        #expect(try harness.boxlab("network", "create", "--subnet", "10.77.8.0/24", "un-back").status == 0)
        let web = try hold(harness, ["--network", "un-front", "--ip", "10.77.7.2/24", image], name: "un-web")
        let db = try hold(harness, ["--network", "un-back", "--ip", "10.77.8.3/24", "--network-alias", "database", image], name: "un-db")
        let client = try hold(harness, ["--network", "un-front", "--ip", "10.77.7.4/24", image], name: "un-client")
        #expect(records(harness, "un-web") == ["un-client 10.77.7.4"])
        #expect(records(harness, "un-db") == [])
        #expect(try harness.boxlab("network", "connect", "--ip", "10.77.8.2/24", "--alias", "app", "un-back", "un-web").status == 0)
        #expect(records(harness, "un-web") == ["un-client 10.77.7.4", "un-db 10.77.8.3", "database 10.77.8.3"])
        #expect(records(harness, "un-db") == ["un-web 10.77.8.2", "app 10.77.8.2"])
        #expect(records(harness, "un-client") == ["un-web 10.77.7.2"])
        end(client)
        #expect(records(harness, "un-web") == ["un-db 10.77.8.3", "database 10.77.8.3"])
        #expect(try harness.boxlab("network", "disconnect", "un-back", "un-web").status == 0)
        #expect(records(harness, "un-web") == [] && records(harness, "un-db") == [])
        // Off its last user-defined network, its resolver (still running) answers nothing.
        #expect(try harness.boxlab("network", "connect", "--ip", "10.77.8.9/24", "un-back", "un-client2").status == 125)
        #expect(try harness.boxlab("network", "connect", "--ip", "10.77.8.2/24", "un-back", "un-web").status == 0)
        #expect(records(harness, "un-db") == ["un-web 10.77.8.2"])
        #expect(try harness.boxlab("network", "disconnect", "un-back", "un-db").status == 0)
        #expect(records(harness, "un-db") == [], "a container on no user-defined network is in no one's records, and has none")
        #expect(records(harness, "un-web") == [])
        end(web)
        end(db)
        try harness.resetAndExpectNothingLeft()
    }

    static var resolverBuilt: Bool { access(URL(fileURLWithPath: Harness.binary).deletingLastPathComponent().appendingPathComponent("boxlab-resolver").path, X_OK) == 0 }

    @Test("busybox nslookup inside a container: answered on a user-defined network, not on the default bridge",
          .enabled(if: resolverBuilt, "boxlab-resolver is not built beside boxlab"))
    func nslookup() throws {
        let harness = Harness()
        let image = try image(harness)
        #expect(try harness.boxlab("network", "create", "--subnet", "10.77.9.0/24", "un-dns").status == 0)
        let db = try hold(harness, ["--network", "un-dns", "--ip", "10.77.9.3/24", image], name: "un-dnsdb")
        let web = try hold(harness, ["--network", "un-dns", "--ip", "10.77.9.2/24", image], name: "un-dnsweb")
        #expect(harness.waitFor(10) { (try? inside(web.pid, "busybox", "nslookup", "un-dnsdb"))?.stdout.contains("10.77.9.3") == true },
                "\((try? inside(web.pid, "busybox", "nslookup", "un-dnsdb"))?.output ?? "")")
        // In a user namespace of its own (its root, 100000 outside, must reach the run directory):
        // wired the same, and its resolver joins a network namespace that namespace owns.
        try FileSystem.chmod(harness.base, permissions: 0o755)
        let mapped = try hold(harness, ["--network", "un-dns", "--ip", "10.77.9.4/24", "--userns", "remap", image], name: "un-dnsmapped")
        let map = try String(contentsOfFile: "/proc/\(mapped.pid)/uid_map", encoding: .utf8)
        #expect(map.split(whereSeparator: \.isWhitespace) == ["0", "100000", "65536"], "\(map)")
        #expect(harness.waitFor(10) { (try? inside(mapped.pid, "busybox", "nslookup", "un-dnsdb"))?.stdout.contains("10.77.9.3") == true },
                "\((try? inside(mapped.pid, "busybox", "nslookup", "un-dnsdb"))?.output ?? "")")
        end(mapped)
        // A bridge made by hand is Docker's default bridge: no resolver, no name.
        let host = try RouteNetlink()
        try host.addLink("un-plain", .bridge)
        defer { try? host.deleteLink(.name("un-plain")) }
        try host.addAddress(IPPrefix("10.77.10.1/24")!, to: .name("un-plain"))
        try host.setLink(.name("un-plain"), [.up])
        let plain = try hold(harness, ["--network", "un-plain", "--ip", "10.77.10.2/24", image], name: "un-dnsplain")
        let refused = try inside(plain.pid, "busybox", "nslookup", "un-dnsdb")
        #expect(refused.status != 0 && !refused.stdout.contains("10.77.9.3"), "\(refused.output)")
        end(plain)
        end(web)
        end(db)
        try harness.resetAndExpectNothingLeft()
    }

    @Test("a lab: names resolve on a user-defined network and through --link's hosts line, not on the default bridge, and the resolver ends with reset",
          .enabled(if: resolverBuilt, "boxlab-resolver is not built beside boxlab"))
    func resolveInALab() throws {
        let harness = Harness()
        let lab = try harness.writeLab("93-usernet.md", """
        ---
        id: 93-usernet
        title: Names on user-defined networks
        ---
        ## Step 1: Two networks and a default bridge
        ```run
        image build image
        ip link add un-docker0 type bridge
        ip addr add 10.77.20.1/24 dev un-docker0
        ip link set un-docker0 up
        network create --subnet 10.77.21.0/24 un-rfront
        network create --subnet 10.77.22.0/24 un-rback
        container run --name un-rdb --network un-rback --ip 10.77.22.3/24 --network-alias database --store layers image sleep 1000 &
        db=$!
        container run --name un-rweb --network un-rfront --ip 10.77.21.2/24 --store layers image sleep 1000 &
        web=$!
        network connect --ip 10.77.22.2/24 un-rback un-rweb
        container run --name un-rold --network un-docker0 --ip 10.77.20.5/24 --store layers image sleep 1000 &
        container run --name un-rlinked --network un-docker0 --ip 10.77.20.6/24 --link un-rold:old --store layers image sleep 1000 &
        linked=$!
        container run --name un-rclient --network un-rfront --ip 10.77.21.4/24 --store layers image sleep 1000 &
        client=$!
        ```
        ```expect
        resolve un-rdb from $web == 10.77.22.3
        resolve database from $web == 10.77.22.3
        resolve un-rweb from $db == 10.77.22.2
        resolve un-rweb from $client == 10.77.21.2
        not resolve un-rdb from $client
        resolve old from $linked == 10.77.20.5
        not resolve un-rold from $client
        ```
        ## Step 2: Disconnected
        ```run
        network disconnect un-rback un-rweb
        ```
        ```expect
        not resolve un-rdb from $web
        resolve un-rclient from $web == 10.77.21.4
        ```
        ## Step 3: A container killed in the background loses its name
        ```run
        kill -9 $client
        wait $client
        ```
        ```expect
        not resolve un-rclient from $web
        process $web running
        ```
        """)
        let run = try harness.boxlab("run", lab)
        #expect(run.status == 0 && run.stdout.contains("all 3 steps passed"), "\(run.output.suffix(4000))")
        try harness.resetAndExpectNothingLeft()
    }

    @Test("a --host session SIGKILLed with a user network, a connected container and its resolver: reset leaves no bridge, veth, process or file")
    func killedInTheMiddle() throws {
        let harness = Harness()
        let host = try RouteNetlink()
        try harness.runKilledInTheMiddle("""
        image build image
        network create --subnet 10.77.11.0/24 un-kfront
        network create --subnet 10.77.12.0/24 un-kback
        container run --name un-kweb --network un-kfront --ip 10.77.11.2/24 --store layers image sleep 1000 &
        container run --name un-kdb --network un-kback --ip 10.77.12.2/24 --store layers image sleep 1000 &
        network connect --ip 10.77.12.3/24 un-kback un-kweb
        """) { (try? host.link(.name("vb1-un-kweb"))) != nil }
        let reset = try harness.boxlab("reset")
        #expect(reset.status == 0, "\(reset.output)")
        #expect(harness.waitFor(10) { harness.processesOfOurs().isEmpty }, "\(harness.processesOfOurs())")
        #expect(harness.waitFor(10) { !((try? host.links()) ?? []).contains { $0.name.hasPrefix("un-k") || $0.name.hasSuffix("-un-kweb") || $0.name.hasSuffix("-un-kdb") } },
                "\(((try? host.links()) ?? []).map(\.name)) \(reset.output)")
        harness.expectNothingLeft()
    }
}
