import Kernel
import Testing
@testable import Lab

/// `container run --user` and `--userns` as Docker reads them, and the calls they put in the
/// container's setup (runc's order). No root needed.
struct ContainerUserTests {
    private let passwd = "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\nweb:x:1000:1001::/srv:/bin/sh\n"
    private let group = "root:x:0:\nnogroup:x:65534:\nstaff:x:50:web\n"

    private func ids(_ text: String) throws -> ContainerUser.IDs {
        try ContainerUser(text).resolve { path in path == "/etc/passwd" ? passwd : path == "/etc/group" ? group : nil }
    }

    @Test func userParsesAndResolves() throws {
        #expect(try ids("1000:1000") == .init(uid: 1000, gid: 1000))
        // A uid alone takes its passwd entry's group, or 0 where the image names none (Docker's).
        #expect(try ids("1000") == .init(uid: 1000, gid: 1001))
        #expect(try ids("4242") == .init(uid: 4242, gid: 0))
        #expect(try ids("nobody") == .init(uid: 65534, gid: 65534))
        #expect(try ids("web:staff") == .init(uid: 1000, gid: 50))
        #expect(try ids("0:nogroup") == .init(uid: 0, gid: 65534))
        for bad in ["", ":", "1000:", ":1000", "1:2:3", "a b"] {
            #expect(throws: CommandError.self, "\(bad)") { try ContainerUser(bad) }
        }
        let unknown = #expect(throws: CommandError.self) { try ids("abc") }
        #expect(unknown?.message == "container run: no user 'abc' in the image's /etc/passwd")
        #expect(throws: CommandError.self) { try ids("web:wheel") }
        // An image without /etc/passwd: numbers only.
        #expect(try ContainerUser("7:8").resolve { _ in nil } == .init(uid: 7, gid: 8))
        #expect(throws: CommandError.self) { try ContainerUser("nobody").resolve { _ in nil } }
    }

    @Test func userNamespaceParses() throws {
        #expect(try ContainerUserNamespace("host") == .host)
        #expect(try ContainerUserNamespace("remap") == .mapped(outside: 100_000, count: 65_536))
        #expect(try ContainerUserNamespace("remap").mapLine == "0 100000 65536")
        #expect(try ContainerUserNamespace("200000:1000") == .mapped(outside: 200_000, count: 1000))
        #expect(ContainerUserNamespace.host.mapLine == nil)
        // Up to the last id, which the check of BoxLab's own map then refuses.
        #expect(try ContainerUserNamespace("4294901760:65536") == .mapped(outside: 4_294_901_760, count: 65_536))
        for bad in ["1:2:3", "", "remap:1", "100000", "100000:0", "-1:5", "x:5", "4294967295:2"] {
            #expect(throws: CommandError.self, "\(bad)") { try ContainerUserNamespace(bad) }
        }
    }

    @Test("--userns with --privileged or --network host is refused, as Docker refuses it")
    func userNamespaceConflicts() throws {
        func spec(_ options: [String]) throws -> ContainerSpec {
            let parsed = try ParsedOptions.parse(options + ["image"], specs: ContainerSpec.options, command: "container run")
            return try ContainerSpec(parsed) { path, _ throws(CommandError) in "/nonexistent/" + path }
        }
        let privileged = #expect(throws: CommandError.self) { try spec(["--userns", "remap", "--privileged"]) }
        #expect(privileged?.message == "container run: --privileged needs --userns host")
        let bad = #expect(throws: CommandError.self) { try spec(["--userns", "1:2:3"]) }
        #expect(bad?.message == "container run: bad --userns '1:2:3'")
        let user = #expect(throws: CommandError.self) { try spec(["--user", "1:2:3"]) }
        #expect(user?.message == "container run: bad --user '1:2:3'")
    }

    private func root(user: ContainerUser.IDs? = nil, ownUserNamespace: Bool = false) -> [SetupOperation] {
        var root = ContainerRoot(directory: "/c", lowerdir: "/l", volumes: [], hostname: "h")
        root.user = user
        root.ownUserNamespace = ownUserNamespace
        return root.operations
    }

    @Test("--user: runc's finalizeNamespace order, and no effective or permitted capability for a user other than root")
    func userCalls() throws {
        let operations = root(user: .init(uid: 1000, gid: 1000))
        let lastDrop = try #require(operations.lastIndex { if case .dropBoundingCapability = $0 { true } else { false } })
        #expect(Array(operations[(lastDrop + 1)...]) == [
            .keepCapabilities, .clearSupplementaryGroups, .setGroupIDs(1000), .setUserIDs(1000), .clearKeepCapabilities,
            .setCapabilities(keep: []),
        ])
        // Root keeps Docker's capabilities.
        #expect(root(user: .init(uid: 0, gid: 1000)).contains(.setCapabilities(keep: Capability.containerDefaults)))
        // Without the options, none of these calls.
        let plain = root()
        #expect(!plain.contains { [.keepCapabilities, .clearKeepCapabilities, .clearSupplementaryGroups].contains($0) })
        #expect(!plain.contains { if case .setUserIDs = $0 { true } else if case .setGroupIDs = $0 { true } else { false } })
    }

    @Test("--userns: root of the namespace first, device nodes bound, /etc's mount points from the init layer")
    func userNamespaceCalls() throws {
        var root = ContainerRoot(directory: "/c", lowerdir: "/c/init:/l", volumes: [], hostname: "h")
        root.ownUserNamespace = true
        let operations = root.operations
        #expect(Array(operations.prefix(3)) == [.setUserIDs(0), .setGroupIDs(0), .clearSupplementaryGroups])
        #expect(!operations.contains { if case .makeNode = $0 { true } else { false } })
        #expect(operations.contains(.mount(source: "/dev/null", target: "/c/layer/rootfs/dev/null", fstype: nil, flags: [.bind], data: nil)))
        #expect(!operations.contains { if case let .createFile(path, _) = $0 { path.hasPrefix("/c/layer/rootfs/etc/") } else { false } })
        #expect(operations.contains(.mount(source: "/c/hosts", target: "/c/layer/rootfs/etc/hosts", fstype: nil, flags: [.bind], data: nil)))
        var volume = ContainerSpec.Volume(source: "/w/ro", target: "/ro", readOnly: true)
        volume.keeping = [.noSuid, .noDev]
        root.volumes = [volume]
        #expect(root.operations.contains(.mount(source: nil, target: "/c/layer/rootfs/ro", fstype: nil, flags: [.bind, .remount, .readOnly, .noSuid, .noDev], data: nil)))
        #expect(operations.contains { if case let .mount(_, _, "overlay", _, data?) = $0 { data.hasPrefix("lowerdir=/c/init:/l,") && data.hasSuffix(",userxattr") } else { false } })
    }
}
