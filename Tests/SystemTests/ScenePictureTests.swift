import Foundation
import Kernel
import Lab
import Testing

/// Labs performed step by step through a Session in this process, the Scene read and drawn
/// after each step: the pictures show what the kernel holds, and what the step changed.
@Suite(.enabled(if: Harness.isRoot, "needs root: namespaces, mounts and cgroups"), .serialized)
struct ScenePictureTests {
    /// A session on `id` with a run directory of the harness's (which `reset`s it at the end).
    private func open(_ id: String, _ harness: Harness) throws -> Session {
        let run = RunDirectory(path: harness.runDir)
        try Workbench.prepareHostDirectories(run)
        let lab = try LabCatalog(directory: Harness.repository.appendingPathComponent("labs").path).load(id)
        return try Workbench(run: run, isolation: .host).open(lab, console: .silent())
    }

    /// Performs step `number`, which must pass, and returns the scene after it.
    private func perform(_ number: Int, _ session: Session, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> Scene {
        let report = session.perform(try #require(session.step(number)))
        #expect(report.passed, "step \(number): \(report)", sourceLocation: sourceLocation)
        return Scene.read(session)
    }

    /// The lines of the group with `id` (see LabTests' PictureTests.group).
    private func group(_ id: String, in svg: String) -> [Substring]? {
        let lines = svg.split(separator: "\n")
        guard let start = lines.firstIndex(where: { $0.contains("<g data-id=\"\(id)\"") }) else { return nil }
        let indent = lines[start].prefix { $0 == " " }.count
        return lines[start...].firstIndex { $0 == String(repeating: " ", count: indent) + "</g>" }.map { Array(lines[start...$0]) }
    }

    @Test("lab 04: a veth end is drawn in the host's box until the step that moves it into red's")
    func vethMoves() throws {
        let harness = Harness()
        defer { Reset(run: RunDirectory(path: harness.runDir)).perform() }
        let session = try open("04-veth", harness)
        let first = try perform(1, session)
        #expect(group("ns:red", in: PictureKind.net.svg(first)) != nil && group("ns:blue", in: PictureKind.net.svg(first)) != nil)
        let second = try perform(2, session)
        var svg = PictureKind.net.svg(second, changed: second.changes(from: first))
        #expect(group("ns:host", in: svg)?.contains { $0.contains("<g data-id=\"link:host/veth-red\" data-kind=\"veth\" data-state=\"DOWN\" class=\"changed\">") } == true, "\(svg)")
        #expect(group("cable:host/veth-red~host/veth-blue", in: svg) != nil || group("cable:host/veth-blue~host/veth-red", in: svg) != nil)

        let third = try perform(3, session)
        let changed = third.changes(from: second)
        svg = PictureKind.net.svg(third, changed: changed)
        #expect(group("ns:red", in: svg)?.contains { $0.contains("<g data-id=\"link:red/eth0\" data-kind=\"veth\"") } == true, "\(svg)")
        #expect(group("ns:blue", in: svg)?.contains { $0.contains("<g data-id=\"link:blue/eth0\" data-kind=\"veth\"") } == true)
        #expect(group("ns:host", in: svg)?.contains { $0.contains("veth-red") } == false)
        #expect(changed.isSuperset(of: ["link:red/eth0", "link:blue/eth0"]), "\(changed)")
        #expect(!changed.contains("link:host/lo") && !changed.contains("ns:host"), "\(changed)")
        let cable = try #require(group("cable:red/eth0~blue/eth0", in: svg) ?? group("cable:blue/eth0~red/eth0", in: svg), "\(svg)")
        #expect(cable[0].contains("class=\"changed\""))
    }

    @Test("lab 05: the bridge appears at the step that makes it, its port and the container's end at the next")
    func bridgeAppears() throws {
        let harness = Harness()
        defer { Reset(run: RunDirectory(path: harness.runDir)).perform() }
        let session = try open("05-bridge", harness)
        let before = Scene.read(session)
        #expect(!before.network.interfaces.contains { $0.name == "docker0" })
        #expect(!PictureKind.net.svg(before).contains("docker0"))
        let first = try perform(1, session)
        var svg = PictureKind.net.svg(first, changed: first.changes(from: before))
        #expect(group("link:host/docker0", in: svg)?.first?.contains("data-kind=\"bridge\" data-state=\"UP\" class=\"changed\"") == true, "\(svg)")
        let second = try perform(2, session)
        svg = PictureKind.net.svg(second, changed: second.changes(from: first))
        #expect(group("port:host/docker0~host/veth-c1", in: svg)?.first?.contains("class=\"changed\"") == true, "\(svg)")
        #expect(group("ns:c1", in: svg)?.contains { $0.contains("<g data-id=\"link:c1/eth0\" data-kind=\"veth\" data-state=\"UP\" class=\"changed\">") } == true, "\(svg)")
        #expect(!second.changes(from: first).contains("link:host/docker0"))
    }

    @Test("lab 02: the overlay's layers in lowerdir's order, top first, and the mount gone after umount")
    func overlayLayers() throws {
        let harness = Harness()
        defer { Reset(run: RunDirectory(path: harness.runDir)).perform() }
        let session = try open("02-overlayfs", harness)
        let first = try perform(1, session)
        #expect(!first.mounts.contains { $0.point.hasPrefix("<ws>") })
        let second = try perform(2, session)
        let merged = try #require(second.mounts.first { $0.point == "<ws>/merged" })
        #expect(merged.overlay == Scene.Overlay(lower: ["<ws>/lower"], upper: "<ws>/upper", work: "<ws>/work"))
        #expect(second.changes(from: first).isSuperset(of: ["mount:<ws>/merged", "layer:<ws>/merged:upper", "layer:<ws>/merged:lower:1"]))
        var scene = second
        for number in 3...7 { scene = try perform(number, session) }
        let stack = try #require(scene.mounts.first { $0.point == "<ws>/stack" })
        #expect(stack.overlay == Scene.Overlay(lower: ["<ws>/l3", "<ws>/l2", "<ws>/l1"]))
        let svg = PictureKind.mounts.svg(scene).replacing("&lt;", with: "<").replacing("&gt;", with: ">")
        let layers = try #require(group("mount:<ws>/stack", in: svg)).filter { $0.contains("data-kind=\"layer\"") }
        #expect(layers.map { String($0.split(separator: "\"")[1]) } == [
            "layer:<ws>/stack:merged", "layer:<ws>/stack:lower:1", "layer:<ws>/stack:lower:2", "layer:<ws>/stack:lower:3",
        ])
        let eighth = try perform(8, session)
        #expect(!eighth.mounts.contains { $0.point == "<ws>/merged" } && eighth.mounts.contains { $0.point == "<ws>/stack" })
    }

    @Test("lab 09: the group, then its memory and process limits, read from this machine's cgroup version")
    func cgroupLimits() throws {
        let harness = Harness()
        defer { Reset(run: RunDirectory(path: harness.runDir)).perform() }
        let session = try open("09-cgroups", harness)
        let before = Scene.read(session)
        #expect(before.cgroups.map(\.path) == ["."])
        let first = try perform(1, session)
        #expect(first.cgroups.map(\.path) == [".", "demo"])
        #expect(first.changes(from: before).contains("cgroup:demo"))
        let second = try perform(2, session)
        #expect(second.cgroups.last?.memoryLimit == CgroupLimit.value(32 << 20))
        let third = try perform(3, session)
        let demo = try #require(third.cgroups.last)
        #expect(demo.processLimit == CgroupLimit.value(5) && demo.processCount != nil && demo.memoryUsage != nil)
        #expect(third.changes(from: second).contains("cgroup:demo"))
        let svg = PictureKind.cgroups.svg(third)
        #expect(group("cgroup:demo", in: svg)?.contains { $0.contains(" / 32M</text>") } == true, "\(svg)")
        #expect(group("cgroup:demo", in: svg)?.contains { $0.contains(" / 5</text>") } == true, "\(svg)")
    }

    @Test("lab 01: the session's processes by their names, sharing or not the session's namespaces")
    func processes() throws {
        let harness = Harness()
        defer { Reset(run: RunDirectory(path: harness.runDir)).perform() }
        let session = try open("01-namespaces", harness)
        _ = try perform(1, session)
        let scene = try perform(2, session)
        let c1 = try #require(scene.processes.first { $0.names == ["$c1"] }, "\(scene.processes)")
        let c1b = try #require(scene.processes.first { $0.names == ["$c1b"] })
        #expect(c1.command == "sleep" && c1.namespaces[.uts] != scene.host[.uts] && c1.namespaces[.net] == scene.host[.net])
        #expect(c1b.namespaces[.uts] == c1.namespaces[.uts])
        let svg = PictureKind.processes.svg(scene)
        #expect(group("proc:\(c1.pid)", in: svg)?.contains { $0.contains("<g data-ns=\"uts\" data-label=\"A\">") } == true, "\(svg)")
        #expect(group("proc:\(c1b.pid)", in: svg)?.contains { $0.contains("<g data-ns=\"uts\" data-label=\"A\">") } == true)
        #expect(group("proc:\(c1.pid)", in: svg)?.contains { $0.contains("<g data-ns=\"net\" data-label=\"host\">") } == true)
    }

    @Test("show net --svg FILE writes the picture in the workspace; a path outside it is refused in one line")
    func replWritesPicture() throws {
        let harness = Harness()
        let result = try harness.boxlab("04-veth", "--mode", "exercise", "--restart",
                                        stdin: "skip\nshow net --svg net.svg --large\ncat net.svg\nshow net --svg /etc/net.svg\nshow mounts --svg\nquit\n")
        #expect(result.status == 0, "\(result.output)")
        harness.expectLines([
            "wrote <ws>/net.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"",
            "<g data-id=\"ns:red\" data-kind=\"namespace\">",
            "font-size: 22px",
            "show: '/etc/net.svg' is outside the workspace",
            "show: --svg needs one FILE; usage: show net|mounts|cgroups|processes",
        ], in: result.stdout)
        harness.expectNothingLeft()
    }
}
