@testable import Kernel
import Testing

/// The operations a child runs between clone and exec: how they are sent to the C side
/// (launch.h's boxlab_setup_op and its strings) and how the trace shows them. No root needed.
struct SetupOperationTests {
    /// The header's fields, read back from the bytes as launch.c reads them.
    private func header(_ bytes: [UInt8]) -> (kind: UInt32, strings: UInt32, size: UInt32, number: UInt64, flags: UInt64) {
        func word<T: FixedWidthInteger>(_ at: Int, _: T.Type) -> T {
            bytes[at..<at + MemoryLayout<T>.size].enumerated().reduce(0) { $0 | T($1.element) << (8 * $1.offset) }
        }
        return (word(0, UInt32.self), word(4, UInt32.self), word(8, UInt32.self), word(16, UInt64.self), word(24, UInt64.self))
    }

    @Test func aMountIsItsFourStringsAndItsFlags() {
        let bytes = SetupOperation.batch([.mount(source: "overlay", target: "/r", fstype: "overlay", flags: [.bind, .recursive], data: nil)])
        let fields = header(bytes)
        #expect(fields.kind == 1 && fields.strings == 4)
        #expect(fields.flags == UInt64(MountFlags([.bind, .recursive]).rawValue))
        // NULL travels as an empty string.
        #expect(Array(bytes[32...]) == Array("overlay\0/r\0overlay\0\0".utf8))
        #expect(Int(fields.size) == bytes.count - 32)
    }

    @Test func anExecCarriesItsArgumentCountThenTheEnvironment() {
        let bytes = SetupOperation.batch([.exec(path: "/bin/sh", arguments: ["sh", "-c", "true"], environment: ["PATH=/bin"])])
        let fields = header(bytes)
        #expect(fields.strings == 5 && fields.number == 3)
        #expect(Array(bytes[32...]) == Array("/bin/sh\0sh\0-c\0true\0PATH=/bin\0".utf8))
    }

    @Test func batchesAreOperationsBackToBack() {
        let one = SetupOperation.batch([.setHostname("a")])
        let two = SetupOperation.batch([.setHostname("a"), .changeDirectory("/")])
        #expect(Array(two.prefix(one.count)) == one)
        #expect(header(Array(two[one.count...])).kind == 6)
    }

    @Test func theTraceReadsLikeStrace() {
        #expect(SetupOperation.pivotRoot(newRoot: ".", putOld: ".").traced.arguments == ["\".\"", "\".\""])
        let node = SetupOperation.makeNode("dev/null", type: .characterDevice, permissions: 0o666, device: DeviceNumber(major: 1, minor: 3)).traced
        #expect("\(node.call)(\(node.arguments.joined(separator: ", ")))" == #"mknod("dev/null", S_IFCHR|0666, makedev(1, 3))"#)
        let caps = SetupOperation.setCapabilities(keep: [Capability(name: "CHOWN")!, Capability(name: "kill")!]).traced
        #expect(caps.arguments.last == "{effective=CAP_CHOWN|CAP_KILL, permitted=CAP_CHOWN|CAP_KILL, inheritable=CAP_CHOWN|CAP_KILL}")
        #expect(SetupOperation.dropBoundingCapability(Capability(name: "CAP_SYS_ADMIN")!).traced.arguments == ["PR_CAPBSET_DROP", "CAP_SYS_ADMIN"])
    }

    @Test func dockersCapabilitiesAreTheFourteenOfItsDefaultBoundingSet() {
        let mask = Capability.containerDefaults.reduce(UInt64(0)) { $0 | 1 << UInt64($1.number) }
        #expect(mask == 0xa80425fb)
        #expect(Capability(name: "nonsense") == nil)
        #expect(Capability(number: 99).name == "99")
    }

    @Test func aMaskedPathIsRuncsTwoCallsAndGoesOnWhereTheFirstMisses() {
        let mask = SetupOperation.maskPath("/proc/kcore")
        func line(_ call: (call: String, arguments: [String])?) -> String { call.map { "\($0.call)(\($0.arguments.joined(separator: ", ")))" } ?? "" }
        #expect(line(mask.traced) == #"mount("/dev/null", "/proc/kcore", NULL, MS_BIND, NULL)"#)
        #expect(line(mask.followUp) == #"mount("tmpfs", "/proc/kcore", "tmpfs", MS_RDONLY, NULL)"#)
        #expect(mask.continues(after: .ENOENT) && mask.continues(after: .ENOTDIR) && !mask.continues(after: .EPERM))
        let readOnly = SetupOperation.readOnlyPath("/proc/sys", keeping: [.noSuid, .noDev, .noExec])
        #expect(line(readOnly.followUp) == #"mount("/proc/sys", "/proc/sys", NULL, MS_RDONLY|MS_NOSUID|MS_NODEV|MS_NOEXEC|MS_REMOUNT|MS_BIND, NULL)"#)
        #expect(readOnly.continues(after: .ENOENT) && !readOnly.continues(after: .ENOTDIR))
        #expect(SetupOperation.mount(source: nil, target: "/x", fstype: nil, flags: [], data: nil).followUp == nil)
        let fields = header(SetupOperation.batch([readOnly]))
        #expect(fields.kind == 17 && fields.flags == UInt64(MountFlags([.noSuid, .noDev, .noExec]).rawValue))
        #expect(header(SetupOperation.batch([.resolveInRoot(root: "/r", path: "a/b")])).strings == 2)
    }

    @Test func setprivsCallsReadLikeStraceAndCarryTheirNumbers() {
        func line(_ call: (call: String, arguments: [String])?) -> String { call.map { "\($0.call)(\($0.arguments.joined(separator: ", ")))" } ?? "" }
        let netRaw = Capability(name: "net_raw")!, chown = Capability(name: "chown")!
        #expect(line(SetupOperation.setUserIDs(1000).traced) == "setresuid(1000, 1000, 1000)")
        #expect(line(SetupOperation.setGroupIDs(100).traced) == "setresgid(100, 100, 100)")
        #expect(line(SetupOperation.clearSupplementaryGroups.traced) == "setgroups(0, [])")
        #expect(line(SetupOperation.keepCapabilities.traced) == "prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0)")
        #expect(line(SetupOperation.ambient(.raise(netRaw)).traced) == "prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_NET_RAW, 0, 0)")
        #expect(line(SetupOperation.ambient(.clearAll).traced) == "prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0)")
        let inheritable = SetupOperation.setInheritable(add: CapabilitySet([netRaw, chown]), remove: CapabilitySet(mask: .max))
        #expect(line(inheritable.traced) == "capget({version=_LINUX_CAPABILITY_VERSION_3, pid=0}, {…})")
        #expect(line(inheritable.followUp) == "capset({version=_LINUX_CAPABILITY_VERSION_3, pid=0}, {effective=…, permitted=…, inheritable=CAP_CHOWN|CAP_NET_RAW})")
        #expect(SetupOperation.setInheritable(add: CapabilitySet(mask: 0), remove: CapabilitySet([chown])).followUp?.arguments.last
                == "{effective=…, permitted=…, inheritable=…|~CAP_CHOWN}")

        let uid = header(SetupOperation.batch([.setUserIDs(1000)]))
        #expect(uid.kind == 20 && uid.number == 1000 && uid.strings == 0)
        #expect(header(SetupOperation.batch([.setGroupIDs(7)])).kind == 21)
        let ambient = header(SetupOperation.batch([.ambient(.raise(netRaw))]))
        #expect(ambient.kind == 25 && ambient.number == 13 && ambient.flags == 2)
        let filter = SeccompFilter(SeccompProfile(defaultAction: .allow, rules: []))
        let seccomp = header(SetupOperation.batch([.loadSeccompFilter(filter)]))
        #expect(seccomp.kind == 19 && seccomp.number == 7 && seccomp.strings == 1 && seccomp.size == 7 * 16 + 1)
        let set = header(SetupOperation.batch([inheritable]))
        #expect(set.kind == 24 && set.number == 1 << 13 | 1 && set.flags == .max)
    }

    @Test func aRootlessStartsCallsReadLikeStraceAndCarryTheirFlagsAndText() {
        let unshare = SetupOperation.unshare([.user, .mnt, .uts])
        #expect(unshare.traced.call == "unshare" && unshare.traced.arguments == ["CLONE_NEWUSER|CLONE_NEWNS|CLONE_NEWUTS"])
        #expect(header(SetupOperation.batch([unshare])).number == 0x1000_0000 | 0x0002_0000 | 0x0400_0000)
        let map = SetupOperation.writeOwn(.map(.uid), "0 1000 1\n")
        #expect(map.traced.call == "write" && map.traced.arguments == ["</proc/self/uid_map>", "\"0 1000 1\\n\"", "9"])
        let bytes = SetupOperation.batch([map])
        #expect(header(bytes).strings == 2)
        #expect(Array(bytes[32...]) == Array("/proc/self/uid_map\u{0}0 1000 1\n\u{0}".utf8))
        #expect(SetupOperation.writeOwn(.setgroups, "deny").traced.arguments.first == "</proc/self/setgroups>")
        #expect(SetupOperation.dumpable.traced.arguments == ["PR_SET_DUMPABLE", "1", "0", "0", "0"])
    }
}
