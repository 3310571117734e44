import Kernel
import Testing
@testable import Lab

/// The SVG pictures of hand-built scenes: what is drawn where, escaped, highlighted, scaled.
struct PictureTests {
    static let scene = Scene(
        network: TopologyTests.sample,
        mounts: [
            .init(mountID: 40, point: "<ws>/merged", fstype: "overlay", source: "overlay",
                  overlay: .init(lower: ["<ws>/l3", "<ws>/l2", "<ws>/l1"], upper: "<ws>/upper", work: "<ws>/work")),
            .init(mountID: 41, point: "<ws>/merged/tmp", fstype: "tmpfs", source: "tmpfs"),
            .init(mountID: 42, point: "<ws>/shared", fstype: "ext4", source: "/dev/vda1", root: "<ws>/data"),
        ],
        cgroups: [
            .init(path: ".", memoryLimit: .max, memoryUsage: 4096, processLimit: .max, processCount: 0),
            .init(path: "demo", memoryLimit: .value(32 << 20), memoryUsage: 32 << 20, processLimit: .value(5), processCount: 2,
                  cpuLimit: CPULimit(quota: .value(10000)), frozen: true, processes: [300, 301]),
        ],
        processes: [
            .init(pid: 300, command: "sleep", names: ["$c1"], namespaces: [.net: 1, .mnt: 2, .pid: 3, .uts: 10, .ipc: 5, .user: 6, .cgroup: 7]),
            .init(pid: 301, command: "sleep", names: ["$c1b"], namespaces: [.net: 1, .mnt: 2, .pid: 3, .uts: 10, .ipc: 5, .user: 6, .cgroup: 7]),
            .init(pid: 302, command: "httpd", names: ["$web"], namespaces: [.net: 11, .mnt: 2, .pid: 3, .uts: 12, .ipc: 5, .user: 6, .cgroup: 7]),
        ],
        host: [.net: 1, .mnt: 2, .pid: 3, .uts: 4, .ipc: 5, .user: 6, .cgroup: 7])

    /// The lines of the group with `id`, from its opening line to its own `</g>` (the markup
    /// is one element a line, children indented).
    static func group(_ id: String, in svg: String) -> [Substring]? {
        let lines = svg.split(separator: "\n")
        guard let start = lines.firstIndex(where: { $0.contains("<g data-id=\"\(id)\"") }) else { return nil }
        let indent = lines[start].prefix { $0 == " " }.count
        guard let end = lines[start...].firstIndex(where: { $0 == String(repeating: " ", count: indent) + "</g>" }) else { return nil }
        return Array(lines[start...end])
    }

    /// A number attribute of the first element with that attribute in `lines`.
    static func attribute(_ name: String, _ lines: [Substring]) -> Double? {
        for line in lines {
            guard let range = line.range(of: " \(name)=\"") else { continue }
            return Double(line[range.upperBound...].prefix { $0 != "\"" })
        }
        return nil
    }

    @Test("an interface is drawn inside its namespace's box, and the veth line runs from one box to the other")
    func network() throws {
        let svg = PictureKind.net.svg(Self.scene)
        let red = try #require(Self.group("ns:red", in: svg))
        #expect(red.contains { $0.contains("data-id=\"link:red/eth0\" data-kind=\"veth\" data-state=\"DOWN\"") })
        #expect(!red.contains { $0.contains("link:blue/eth0") })
        let host = try #require(Self.group("ns:host", in: svg))
        #expect(host.contains { $0.contains("data-id=\"link:host/lo\" data-kind=\"loopback\"") })
        // The cable leaves red's eth0 at its right edge and reaches blue's eth0 at its left.
        let redEnd = try #require(Self.group("link:red/eth0", in: svg)), blueEnd = try #require(Self.group("link:blue/eth0", in: svg))
        let cable = try #require(Self.group("cable:red/eth0~blue/eth0", in: svg))
        let points = try #require(cable.first { $0.contains("<polyline") }).split(separator: "\"")[1].split(separator: " ")
        let first = points[0].split(separator: ","), last = points[points.count - 1].split(separator: ",")
        #expect(Double(first[0]) == Self.attribute("x", redEnd)! + Self.attribute("width", redEnd)!)
        #expect(Double(last[0]) == Self.attribute("x", blueEnd))
        #expect(svg.components(separatedBy: "data-kind=\"cable\"").count == 3, "two pairs, each drawn once")
    }

    @Test("a bridge's ports are indented under it, with a line from the bridge to each")
    func bridgePorts() throws {
        let svg = PictureKind.net.svg(Self.scene)
        let bridge = try #require(Self.group("link:host/docker0", in: svg)), port = try #require(Self.group("link:host/veth-c1", in: svg))
        #expect(Self.attribute("x", port)! > Self.attribute("x", bridge)!)
        #expect(Self.attribute("y", port)! > Self.attribute("y", bridge)!)
        #expect(Self.group("port:host/docker0~host/veth-c1", in: svg) != nil)
        #expect(svg.contains("data-id=\"link:host/docker0\" data-kind=\"bridge\""))
    }

    @Test("an overlay's layers are stacked merged, upper, then lowerdir's order, top first; work last")
    func overlayLayers() throws {
        let svg = PictureKind.mounts.svg(Self.scene)
        let overlay = try #require(Self.group("mount:<ws>/merged", in: svg.replacing("&lt;", with: "<").replacing("&gt;", with: ">")))
        let layers = overlay.filter { $0.contains("data-kind=\"layer\"") }
        #expect(layers.map { String($0.split(separator: "\"")[1]) } == [
            "layer:<ws>/merged:merged", "layer:<ws>/merged:upper", "layer:<ws>/merged:lower:1",
            "layer:<ws>/merged:lower:2", "layer:<ws>/merged:lower:3", "layer:<ws>/merged:work",
        ])
        #expect(layers[2].contains("data-role=\"lower\" data-order=\"2\""))
        let paths = ["<ws>/l3", "<ws>/l2", "<ws>/l1"].map { path in overlay.firstIndex { $0.contains(path + " ") || $0.hasSuffix(path + "</text>") }! }
        #expect(paths == paths.sorted(), "l3 is drawn above l2, above l1")
        #expect(svg.contains("data-id=\"mount:&lt;ws&gt;/merged/tmp\" data-kind=\"tmpfs\""))
        #expect(svg.contains("data-id=\"mount:&lt;ws&gt;/shared\" data-kind=\"bind\""))
        // The tmpfs inside merged is drawn further right.
        #expect(Self.attribute("x", Self.group("mount:&lt;ws&gt;/merged/tmp", in: svg)!)! > Self.attribute("x", Self.group("mount:&lt;ws&gt;/merged", in: svg)!)!)
    }

    @Test("names and paths are escaped: a link or mount point called a<b&\"c\" is text, not markup")
    func escaping() throws {
        var scene = Self.scene
        scene.network.interfaces.append(.init(namespace: "host", index: 9, name: "a<b&\"c\"", kind: "dummy", up: true, addresses: [],
                                              master: nil, peerIndex: nil, peerNamespace: nil))
        scene.mounts.append(.init(mountID: 50, point: "<ws>/x<y&\"z\"", fstype: "tmpfs", source: "tmpfs"))
        let net = PictureKind.net.svg(scene), mounts = PictureKind.mounts.svg(scene)
        #expect(net.contains("data-id=\"link:host/a&lt;b&amp;&quot;c&quot;\""))
        #expect(net.contains(">a&lt;b&amp;\"c\" dummy</text>"))
        #expect(!net.contains("a<b") && !mounts.contains("x<y"))
        #expect(mounts.contains("data-id=\"mount:&lt;ws&gt;/x&lt;y&amp;&quot;z&quot;\""))
    }

    @Test("what changed carries class=\"changed\", which the stylesheet in the file highlights")
    func changedClass() throws {
        let svg = PictureKind.net.svg(Self.scene, changed: ["link:red/eth0", "cable:red/eth0~blue/eth0"])
        #expect(Self.group("link:red/eth0", in: svg)![0].hasSuffix("class=\"changed\">"))
        #expect(Self.group("cable:red/eth0~blue/eth0", in: svg)![0].hasSuffix("class=\"changed\">"))
        #expect(!Self.group("link:blue/eth0", in: svg)![0].contains("changed"))
        #expect(svg.contains("<style>") && svg.contains(".changed > .frame"))
        #expect(svg.components(separatedBy: "class=\"changed\"").count == 3)
    }

    @Test("large pictures have bigger fonts and a bigger canvas; every picture sizes its viewBox to its content")
    func largeScale() throws {
        for kind in PictureKind.allCases {
            let normal = kind.svg(Self.scene), large = kind.svg(Self.scene, large: true)
            let line = { (svg: String) in svg.split(separator: "\n")[0] }
            #expect(Self.attribute("width", [line(large)])! > Self.attribute("width", [line(normal)])!, "\(kind)")
            #expect(Self.attribute("height", [line(large)])! > Self.attribute("height", [line(normal)])!, "\(kind)")
            #expect(normal.contains("font-size: 14px") && large.contains("font-size: 22px"))
            let width = SVG.number(Self.attribute("width", [line(normal)])!), height = SVG.number(Self.attribute("height", [line(normal)])!)
            #expect(line(normal).contains("viewBox=\"0 0 \(width) \(height)\""))
        }
    }

    @Test("the same scene gives the same picture, byte for byte")
    func determinism() {
        for kind in PictureKind.allCases {
            let copy = Scene(network: Self.scene.network, mounts: Self.scene.mounts, cgroups: Self.scene.cgroups,
                             processes: Self.scene.processes, host: Self.scene.host)
            #expect(kind.svg(Self.scene, changed: ["proc:300"]) == kind.svg(copy, changed: ["proc:300"]))
        }
        #expect(PictureKind.net.svg(Self.scene).hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
    }

    @Test("cgroups: a bar full at the limit, a dashed track without one; processes: host, or a letter shared by those in one namespace")
    func cgroupsAndProcesses() throws {
        let cgroups = PictureKind.cgroups.svg(Self.scene)
        let demo = try #require(Self.group("cgroup:demo", in: cgroups))
        #expect(demo.contains { $0.contains("class=\"used full\"") })
        #expect(demo.contains { $0.contains(">32M / 32M</text>") } && demo.contains { $0.contains(">2 / 5</text>") })
        #expect(demo.contains { $0.contains("cpu 10000µs every 100000µs  frozen  procs 300 301") })
        #expect(Self.attribute("x", demo)! > Self.attribute("x", Self.group("cgroup:.", in: cgroups)!)!, "demo is indented under the root")
        #expect(Self.group("cgroup:.", in: cgroups)!.contains { $0.contains("class=\"track unlimited\"") })

        let processes = PictureKind.processes.svg(Self.scene)
        let c1 = try #require(Self.group("proc:300", in: processes)), web = try #require(Self.group("proc:302", in: processes))
        #expect(c1.contains { $0.contains("<g data-ns=\"net\" data-label=\"host\">") })
        #expect(c1.contains { $0.contains("<g data-ns=\"uts\" data-label=\"A\">") })
        #expect(Self.group("proc:301", in: processes)!.contains { $0.contains("<g data-ns=\"uts\" data-label=\"A\">") }, "c1b shares c1's UTS namespace")
        #expect(web.contains { $0.contains("<g data-ns=\"uts\" data-label=\"B\">") } && web.contains { $0.contains("<g data-ns=\"net\" data-label=\"A\">") })
    }

    @Test("changes(from:): what is new or different since the scene before; usage alone is no change; nothing without a scene before")
    func changes() {
        var after = Self.scene
        // Step 3 of lab 04: an end of a new cable moved into red.
        after.network.interfaces.append(.init(namespace: "red", index: 4, name: "veth-x", kind: "veth", up: false, addresses: [], master: nil,
                                              peerIndex: 7, peerNamespace: "host"))
        after.network.interfaces.append(.init(namespace: "host", index: 7, name: "veth-y", kind: "veth", up: false, addresses: [], master: nil,
                                              peerIndex: 4, peerNamespace: "red"))
        after.network.interfaces[0].up = false
        after.cgroups[1].memoryUsage = 1 << 20
        after.cgroups[0].processLimit = .value(10)
        after.mounts.removeFirst()
        after.processes[2].namespaces[.uts] = 13
        #expect(after.changes(from: Self.scene) == [
            "link:red/veth-x", "link:host/veth-y", "cable:red/veth-x~host/veth-y", "link:host/lo", "cgroup:.", "proc:302",
        ])
        #expect(Self.scene.changes(from: Self.scene).isEmpty)
        #expect(Self.scene.changes(from: nil).isEmpty)
        var stacked = Self.scene
        stacked.mounts.append(.init(mountID: 60, point: "<ws>/merged", fstype: "tmpfs", source: "tmpfs"))
        #expect(stacked.changes(from: Self.scene) == ["mount:<ws>/merged#2"])
    }

    @Test("the same things as text for the terminal (show without --svg)")
    func text() {
        let mounts = Self.scene.text(.mounts)
        #expect(mounts.hasPrefix("<ws>/merged  overlay  from overlay\n  merged  <ws>/merged  (what processes see)\n  upper  <ws>/upper  (writes land here)\n  lower 1  <ws>/l3\n"))
        #expect(mounts.contains("\n  <ws>/merged/tmp  tmpfs  from tmpfs\n<ws>/shared  ext4  bind of <ws>/data"))
        #expect(Self.scene.text(.cgroups) == """
            the lab's cgroup root  memory 4K / max  pids 0 / max
              demo  memory 32M / 32M  pids 2 / 5  cpu 10000µs every 100000µs  frozen  procs 300 301
            """)
        let processes = Self.scene.text(.processes).split(separator: "\n")
        #expect(processes[0] == "pid  name    command        net   mnt   pid   uts   ipc   user  cgroup")
        #expect(processes[4] == "302  $web    httpd          A     host  host  B     host  host  host")
    }
}
