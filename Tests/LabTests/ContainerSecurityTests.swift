import Kernel
import Testing
@testable import Lab

/// `container run`'s security options as Docker reads them, and where each puts its calls in
/// the container's setup (runc's order). No root needed.
struct ContainerSecurityTests {
    private func security(_ options: [String]) throws -> ContainerSecurity {
        let parsed = try ParsedOptions.parse(options + ["image"], specs: ContainerSpec.options, command: "container run")
        return try ContainerSecurity(parsed) { _ throws(CommandError) in SeccompProfile(defaultAction: .allow, rules: [.init(.errno(.EPERM), [SystemCall(name: "mount")!])]) }
    }

    private func names(_ capabilities: [Capability]) -> [String] { capabilities.map(\.name) }

    @Test func capabilitiesFollowDockersOrder() throws {
        #expect(try security([]).capabilities == Capability.containerDefaults)
        #expect(names(try security(["--cap-drop", "ALL", "--cap-add", "net_bind_service", "--cap-add", "CAP_CHOWN"]).capabilities) == ["CAP_CHOWN", "CAP_NET_BIND_SERVICE"])
        #expect(names(try security(["--cap-drop", "NET_RAW", "--cap-drop", "mknod"]).capabilities).count == 12)
        #expect(try security(["--cap-add", "SYS_ADMIN"]).capabilities.contains(Capability(name: "SYS_ADMIN")!))
        // An added capability that is also dropped is dropped: drops come after additions.
        #expect(!(try security(["--cap-add", "SYS_TIME", "--cap-drop", "SYS_TIME"]).capabilities.contains(Capability(name: "SYS_TIME")!)))
        #expect(try security(["--cap-add", "ALL"]).capabilities == Capability.held())
        #expect(try security(["--privileged", "--cap-drop", "ALL"]).capabilities == Capability.held())
        #expect(Capability.held().contains(Capability(name: "SYS_ADMIN")!))
    }

    @Test("Docker's defaults: its default profile's denials and no no_new_privs, each undone or changed by an option")
    func securityOptsAndPrivileged() throws {
        let defaults = try security([])
        #expect(!defaults.noNewPrivileges && defaults.seccomp == .dockerDefault)
        #expect(try security(["--security-opt", "no-new-privileges"]).noNewPrivileges)
        #expect(try security(["--security-opt", "no-new-privileges=true"]).noNewPrivileges)
        #expect(!(try security(["--security-opt", "no-new-privileges", "--security-opt", "no-new-privileges=false"]).noNewPrivileges))
        let custom = try security(["--security-opt", "seccomp=p"]).seccomp
        #expect(custom != nil && custom != .dockerDefault)
        #expect(try security(["--security-opt", "seccomp=p", "--security-opt", "seccomp=default"]).seccomp == .dockerDefault)
        #expect(try security(["--security-opt", "seccomp=unconfined"]).seccomp == nil)
        #expect(try security(["--privileged"]).seccomp == nil)
        #expect(try security(["--privileged", "--security-opt", "seccomp=p"]).seccomp == nil)
        #expect(throws: CommandError.self) { try security(["--security-opt", "seccomp"]) }
        #expect(throws: CommandError.self) { try security(["--security-opt", "seccomp="]) }
        #expect(throws: CommandError.self) { try security(["--security-opt", ""]) }
        #expect(throws: CommandError.self) { try security(["--security-opt", "no-new-privileges=maybe"]) }
    }

    @Test("runc's order: no_new_privs before the capabilities go; the filter before them too without it (Docker's default), else last")
    func filterPlace() throws {
        func operations(_ options: [String]) throws -> [SetupOperation] {
            ContainerRoot(directory: "/c", lowerdir: "/l", volumes: [], hostname: "h", security: try security(options)).operations
        }
        func firstDrop(_ operations: [SetupOperation]) throws -> Int {
            try #require(operations.firstIndex { if case .dropBoundingCapability = $0 { true } else { false } })
        }
        let strict = try operations(["--security-opt", "seccomp=p", "--security-opt", "no-new-privileges", "--read-only"])
        #expect(strict.suffix(2).map(\.traced.call) == ["capset", "seccomp"])
        #expect(try #require(strict.firstIndex(of: .noNewPrivileges)) < firstDrop(strict))
        let loose = try operations([])
        let filter = try #require(loose.firstIndex(of: .loadSeccompFilter(SeccompFilter(.dockerDefault))))
        #expect(try filter < firstDrop(loose) && !loose.contains(.noNewPrivileges))
        #expect(loose.last == .setCapabilities(keep: Capability.containerDefaults))
        #expect(try !operations(["--security-opt", "seccomp=unconfined"]).contains { if case .loadSeccompFilter = $0 { true } else { false } })
        let readOnly = try operations(["--read-only"])
        let remount = try #require(readOnly.firstIndex(of: .mount(source: nil, target: "/", fstype: nil, flags: [.bind, .remount, .readOnly], data: nil)))
        #expect(readOnly[remount - 1] == .changeDirectory("/") && readOnly[remount + 1] == .setHostname("h"))
        let privileged = try operations(["--privileged"])
        #expect(!privileged.contains { if case .maskPath = $0 { true } else if case .readOnlyPath = $0 { true } else if case .loadSeccompFilter = $0 { true } else { false } })
        // Only what the session itself lacks leaves the bounding set.
        #expect(!privileged.contains { if case .dropBoundingCapability(let capability) = $0 { Capability.held().contains(capability) } else { false } })
    }
}
