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

    @Test func securityOptsAndPrivileged() throws {
        #expect(try security([]).noNewPrivileges && (try security([])).seccomp == nil)
        #expect(!(try security(["--security-opt", "no-new-privileges=false"]).noNewPrivileges))
        #expect(try security(["--security-opt", "seccomp=p"]).seccomp != nil)
        #expect(try security(["--security-opt", "seccomp=p", "--security-opt", "seccomp=unconfined"]).seccomp == nil)
        #expect(try security(["--privileged", "--security-opt", "seccomp=p"]).seccomp == nil)
        #expect(throws: CommandError.self) { try security(["--security-opt", "seccomp"]) }
        #expect(throws: CommandError.self) { try security(["--security-opt", "seccomp="]) }
        #expect(throws: CommandError.self) { try security(["--security-opt", ""]) }
        #expect(throws: CommandError.self) { try security(["--security-opt", "no-new-privileges=maybe"]) }
    }

    @Test("the filter is the last call before exec, or comes before the capabilities go without no_new_privs")
    func filterPlace() throws {
        func calls(_ options: [String]) throws -> [String] {
            ContainerRoot(directory: "/c", lowerdir: "/l", volumes: [], hostname: "h", security: try security(options)).operations.map(\.traced.call)
        }
        let strict = try calls(["--security-opt", "seccomp=p", "--read-only"])
        #expect(strict.suffix(3) == ["capset", "prctl", "seccomp"])
        let loose = ContainerRoot(directory: "/c", lowerdir: "/l", volumes: [], hostname: "h",
                                  security: try security(["--security-opt", "seccomp=p", "--security-opt", "no-new-privileges=false"])).operations
        let filter = try #require(loose.firstIndex { if case .loadSeccompFilter = $0 { true } else { false } })
        let firstDrop = try #require(loose.firstIndex { if case .dropBoundingCapability = $0 { true } else { false } })
        #expect(filter < firstDrop && !loose.contains(.noNewPrivileges))
        #expect(loose.last == .setCapabilities(keep: Capability.containerDefaults))
        let operations = ContainerRoot(directory: "/c", lowerdir: "/l", volumes: [], hostname: "h", security: try security(["--read-only"])).operations
        let remount = try #require(operations.firstIndex(of: .mount(source: nil, target: "/", fstype: nil, flags: [.bind, .remount, .readOnly], data: nil)))
        #expect(operations[remount - 1] == .changeDirectory("/") && operations[remount + 1] == .setHostname("h"))
        let privileged = ContainerRoot(directory: "/c", lowerdir: "/l", volumes: [], hostname: "h", security: try security(["--privileged"])).operations
        #expect(!privileged.contains { if case .maskPath = $0 { true } else if case .readOnlyPath = $0 { true } else { false } })
        // Only what the session itself lacks leaves the bounding set.
        #expect(!privileged.contains { if case .dropBoundingCapability(let capability) = $0 { Capability.held().contains(capability) } else { false } })
    }
}
