import Foundation
import Kernel
import Lab

/// (d) Wiring 50 "containers" onto a bridge — namespace, veth pair with its peer made in the
/// namespace, on the bridge, addresses, links up, a default route — and tearing them down, as
/// the bridge lab does it: BoxLab's command language in-process (the same path a lab takes,
/// trace and all), next to one `ip` process per operation, next to `ip -batch` (one process
/// for the host's side and one per container, `ip -n NS -batch`, since a batch line cannot
/// name a namespace). Teardown deletes each namespace, which takes its veth pair with it:
/// deleting a veth directly waits for an RCU grace period, a namespace goes in the background.
struct WiringBench {
    let options: BenchOptions
    let labs: String
    let work: String
    static let containers = 50
    static let rounds = 5

    /// One container's commands, on its own side and on the host's.
    struct Plan {
        var hostWiring: [String] = ["ip link add br-bench type bridge", "ip addr add 10.99.0.1/16 dev br-bench", "ip link set br-bench up"]
        var containerWiring: [(namespace: String, commands: [String])] = []
        var teardown: [String] = []

        init(containers: Int) {
            for number in 1...containers {
                let name = "bench\(number)", veth = "vb\(number)"
                hostWiring += ["ip netns add \(name)", "ip link add \(veth) type veth peer name eth0 netns \(name)",
                               "ip link set \(veth) master br-bench", "ip link set \(veth) up"]
                containerWiring.append((name, ["addr add 10.99.\(number / 200).\(number % 200 + 2)/16 dev eth0",
                                               "link set eth0 up", "link set lo up", "route add default via 10.99.0.1"]))
                teardown.append("ip netns del \(name)")
            }
            teardown.append("ip link del br-bench")
        }

        /// Every operation as a command line, in the order a lab performs them.
        var commands: [String] {
            hostWiring + containerWiring.flatMap { container in container.commands.map { "ip -n \(container.namespace) " + $0 } }
        }

        var operations: Int { commands.count + teardown.count }
    }

    func run() -> Bool {
        let plan = Plan(containers: WiringBench.containers)
        Table.section("Wiring \(WiringBench.containers) containers onto a bridge and tearing them down (\(plan.operations) operations; \(WiringBench.rounds) rounds interleaved; median / p90)")
        guard let ip = which("ip") else {
            Table.failed("wiring", BenchError("no ip on PATH: apt-get install iproute2"))
            return false
        }
        var boxlab = Samples(), untraced = Samples(), floor = Samples(), perOperation = Samples(), batch = Samples()
        do {
            for _ in 0..<WiringBench.rounds {
                boxlab.add(Double(try time { try inProcess(plan, traced: true) }))
                try settle()
                untraced.add(Double(try time { try inProcess(plan, traced: false) }))
                try settle()
                floor.add(Double(try time { try kernelOnly(containers: WiringBench.containers) }))
                try settle()
                perOperation.add(Double(try time { try onePerOperation(plan, ip: ip) }))
                try settle()
                batch.add(Double(try time { try batched(plan, ip: ip) }))
                try settle()
            }
        } catch {
            Table.failed("wiring", BenchError(error))
            return false
        }
        let operations = Double(plan.operations)
        Table.row("BoxLab, in-process, traced (as a lab shows it)", Table.medianAndP90(boxlab), "\(Table.duration(boxlab.median / operations)) per operation")
        Table.row("BoxLab, in-process, untraced (--json, replays)", Table.medianAndP90(untraced),
                  "\(Table.duration(untraced.median / operations)) per operation; tracing costs \(Table.ratio(boxlab.median, to: untraced.median))")
        Table.row("the same calls through Kernel directly", Table.medianAndP90(floor),
                  "\(Table.duration(floor.median / operations)) per operation, a client per container; BoxLab untraced takes \(Table.ratio(untraced.median, to: floor.median)) of it")
        Table.row("ip, one process per operation", Table.medianAndP90(perOperation),
                  "\(Table.duration(perOperation.median / operations)) per operation; BoxLab is \(Table.ratio(perOperation.median, to: boxlab.median)) faster traced, \(Table.ratio(perOperation.median, to: untraced.median)) untraced")
        Table.row("ip -batch (1 + \(WiringBench.containers) processes)", Table.medianAndP90(batch),
                  "\(Table.duration(batch.median / operations)) per operation; BoxLab is \(Table.ratio(batch.median, to: boxlab.median)) faster traced, \(Table.ratio(batch.median, to: untraced.median)) untraced")
        kernelFloor()
        return true
    }

    /// The kernel frees a deleted namespace, and the veth peers it takes along, after
    /// `ip netns del` returns; the next round may only start when they are gone (not timed).
    private func settle() throws {
        let netlink = try RouteNetlink()
        let deadline = Clock.now() + options.timeout
        while try netlink.links().contains(where: { $0.name.hasPrefix("vb") || $0.name == "br-bench" }) {
            guard Clock.now() < deadline else { throw BenchError("the veth pairs of deleted namespaces were still there after the timeout") }
            usleep(10_000)
        }
    }

    private func time(_ body: () throws -> Void) throws -> UInt64 {
        let start = Clock.now()
        try body()
        return Clock.since(start)
    }

    /// The commands through BoxLab's own runner, as the steps of a lab.
    private func inProcess(_ plan: Plan, traced: Bool) throws {
        let workspace = Workspace(root: work)
        let workbench = Workbench(run: RunDirectory(path: work + "/wiring"), isolation: .private)
        for line in plan.commands + plan.teardown {
            let outcome = CommandRunner.run(line, workspace: workspace, workbench: workbench, traced: traced)
            if let error = outcome.error { throw BenchError("\(line): \(error)" + outcome.trace.map { "\n  \($0)" }.joined()) }
        }
        // As at the end of a lab's step.
        workbench.clients.release()
    }

    /// The same wiring with the Kernel target's calls and no command language: what is left
    /// is the kernel's work and one netlink socket per namespace.
    private func kernelOnly(containers: Int) throws {
        let namespaces = NetworkNamespaces(directory: Sandbox.networkNamespaces)
        let host = try RouteNetlink()
        try host.addLink("br-bench", .bridge)
        try host.addAddress(IPPrefix("10.99.0.1/16")!, to: "br-bench")
        try host.setLink("br-bench", [.up])
        for number in 1...containers {
            let name = "bench\(number)", veth = "vb\(number)"
            try namespaces.add(name)
            let namespace = try namespaces.open(name)
            try host.addLink(veth, .veth(peer: "eth0", peerNamespace: .namespace(namespace)))
            try host.setLink(.name(veth), [.master("br-bench"), .up])
            let inside = try RouteNetlink(in: namespace)
            try inside.addAddress(IPPrefix("10.99.\(number / 200).\(number % 200 + 2)/16")!, to: "eth0")
            try inside.setLink("eth0", [.up])
            try inside.setLink("lo", [.up])
            try inside.addRoute(IPPrefix("0.0.0.0/0")!, via: IPAddress("10.99.0.1"))
        }
        for number in 1...containers { try namespaces.delete("bench\(number)") }
        try host.deleteLink("br-bench")
    }

    private func onePerOperation(_ plan: Plan, ip: String) throws {
        for line in plan.commands + plan.teardown {
            try runIP([ip] + line.split(separator: " ").dropFirst().map(String.init), line)
        }
    }

    private func batched(_ plan: Plan, ip: String) throws {
        let host = work + "/wiring-host.batch"
        try plan.hostWiring.map { String($0.dropFirst(3)) }.joined(separator: "\n").write(toFile: host, atomically: true, encoding: .utf8)
        try runIP([ip, "-batch", host], "ip -batch (host)")
        for container in plan.containerWiring {
            let file = work + "/wiring-\(container.namespace).batch"
            try container.commands.joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
            try runIP([ip, "-n", container.namespace, "-batch", file], "ip -n \(container.namespace) -batch")
        }
        let teardown = work + "/wiring-teardown.batch"
        try plan.teardown.map { String($0.dropFirst(3)) }.joined(separator: "\n").write(toFile: teardown, atomically: true, encoding: .utf8)
        try runIP([ip, "-batch", teardown], "ip -batch (teardown)")
    }

    private func runIP(_ arguments: [String], _ label: String) throws {
        let child = try Spawned.start(arguments, environment: ["PATH=/usr/sbin:/usr/bin:/sbin:/bin"])
        child.closeInput()
        let exit = try child.finish(deadline: Clock.now() + options.timeout)
        guard exit.succeeded else { throw BenchError("\(label): \(exit): \(String(decoding: child.received, as: UTF8.self))") }
    }

    /// What the kernel itself takes, untraced and without BoxLab's parsing: a namespace made
    /// and deleted, and a veth pair made and deleted directly (which waits for RCU).
    private func kernelFloor() {
        let namespaces = NetworkNamespaces(directory: Sandbox.networkNamespaces)
        var create = Samples(), veth = Samples(), vethDelete = Samples()
        do {
            let netlink = try RouteNetlink()
            for number in 0..<20 {
                create.add(Double(try time { try namespaces.add("floor\(number)") }))
                veth.add(Double(try time { try netlink.addLink("fa\(number)", .veth(peer: "fb\(number)")) }))
                vethDelete.add(Double(try time { try netlink.deleteLink(.name("fa\(number)")) }))
                try namespaces.delete("floor\(number)")
            }
        } catch {
            Table.failed("kernel floor", BenchError(error))
            return
        }
        Table.row("kernel: netns create (untraced)", Table.medianAndP90(create))
        Table.row("kernel: veth pair create (untraced)", Table.medianAndP90(veth))
        Table.row("kernel: veth pair delete (untraced)", Table.medianAndP90(vethDelete), "waits for RCU: tear down by deleting the namespace")
    }
}
