import Kernel
@testable import Lab
import Testing

/// setpriv's options, parsed into the calls the child makes before exec (no root needed).
struct PrivilegesTests {
    private func operations(_ words: [String]) throws -> [SetupOperation] {
        let options = try ParsedOptions.parse(words + ["sleep", "1"], specs: Privileges.optionSpecs, command: "setpriv", endAtFirstOperand: true)
        return try Privileges.operations(options, command: "setpriv")
    }

    private let all = Capability.all()
    private func named(_ name: String) -> Capability { Capability(name: name)! }

    @Test func aBoundingSetDropsWhatTheListLeavesOut() throws {
        let kept = Set([named("chown"), named("net_bind_service")])
        #expect(try operations(["--bounding-set", "-all,+chown,+CAP_NET_BIND_SERVICE"])
                == all.filter { !kept.contains($0) }.map(SetupOperation.dropBoundingCapability))
        #expect(try operations(["--bounding-set=-net_raw,-sys_admin"]) == [.dropBoundingCapability(named("net_raw")), .dropBoundingCapability(named("sys_admin"))])
        #expect(try operations(["--bounding-set", "+all"]).isEmpty)
    }

    @Test func theCallsGoInAnOrderThatNeedsNoCapabilityBack() throws {
        let ops = try operations(["--reuid", "1000", "--regid", "1000", "--clear-groups", "--no-new-privs", "--bounding-set", "-sys_admin",
                                  "--inh-caps", "-all,+net_raw", "--ambient-caps", "+net_raw"])
        #expect(ops == [
            .dropBoundingCapability(named("sys_admin")), .noNewPrivileges, .keepCapabilities, .setGroupIDs(1000), .clearSupplementaryGroups,
            .setUserIDs(1000), .setInheritable(add: CapabilitySet([named("net_raw")]), remove: CapabilitySet(mask: .max)), .ambient(.raise(named("net_raw"))),
        ])
        // Without an ambient capability to keep, uid 0's permitted set may go.
        #expect(try operations(["--reuid", "1000"]) == [.setUserIDs(1000)])
        #expect(try operations(["--regid", "5", "--keep-groups"]) == [.setGroupIDs(5)])
        #expect(try operations(["--ambient-caps", "-all,-chown"]) == [.ambient(.clearAll), .ambient(.lower(named("chown")))])
        #expect(try operations(["--inh-caps", "+chown,-kill"]) == [.setInheritable(add: CapabilitySet([named("chown")]), remove: CapabilitySet([named("kill")]))])
    }

    @Test("mistakes are one line naming the fix", arguments: [
        (["--bounding-set", "chown"], "setpriv: --bounding-set: 'chown' needs a sign"),
        (["--bounding-set", "-all,,+chown"], "setpriv: --bounding-set: '' needs a sign"),
        (["--inh-caps", "+fly"], "setpriv: --inh-caps: unknown capability 'fly'"),
        (["--ambient-caps", "+99"], "setpriv: --ambient-caps: unknown capability '99'"),
        (["--reuid", "alice"], "setpriv: --reuid: 'alice' is not an id"),
        (["--reuid", "-1"], "setpriv: --reuid: '-1' is not an id"),
        (["--regid", "4294967295", "--keep-groups"], "setpriv: --regid: '4294967295' is not an id"),
        (["--regid", "5"], "setpriv: --regid needs --clear-groups or --keep-groups"),
        (["--clear-groups", "--keep-groups"], "setpriv: --clear-groups and --keep-groups exclude each other"),
    ])
    func mistakes(words: [String], message: String) {
        do {
            _ = try operations(words)
            Issue.record("\(words) must not parse")
        } catch let error as CommandError {
            #expect(error.message == message)
            #expect(error.cause != nil)
        } catch {
            Issue.record("\(error)")
        }
    }
}

/// Which outside ids a map asks for that the writer's own namespace lacks (newuidmap's check).
struct IDMapRangeTests {
    @Test func aRangeOutsideTheWritersOwnMapIsNamed() {
        let sandbox = "0 100000 65536"
        #expect(Command.unmapped(["0 100000 65536"], in: sandbox) == "100000–165535")
        #expect(Command.unmapped(["0 1000 1000"], in: sandbox) == nil)
        #expect(Command.unmapped(["0 65535 2"], in: sandbox) == "65535–65536")
        #expect(Command.unmapped(["0 0 1", "1 100000 65536"], in: "0 0 4294967295") == nil)
        #expect(Command.unmapped(["0 5 1"], in: "") == "5–5")
    }
}
