import Glibc
@testable import Kernel
import Testing

/// The seccomp filters BoxLab assembles itself: their bytes against a fixture worked out
/// by hand from linux/filter.h and linux/seccomp.h, their disassembly, and the verdicts
/// BoxLab's reading of them gives. No root needed.
struct SeccompFilterTests {
    static let noNamespaces = SeccompProfile(defaultAction: .allow, rules: [
        .init(.errno(.EPERM), [SystemCall(name: "unshare")!, SystemCall(name: "setns")!]),
        .init(.killProcess, [SystemCall(name: "reboot")!, SystemCall(name: "unshare")!]),
    ])

    @Test func aProfileAssemblesToTheHandCheckedBytes() {
        // code (LE 16), jt, jf, k (LE 32)
        let expected: [[UInt8]] = [
            [0x20, 0, 0, 0, 4, 0, 0, 0],                  // A = arch
            [0x15, 0, 1, 0, 0x3e, 0, 0, 0xc0],            // if (A == ARCH_X86_64) skip 1
            [0x06, 0, 0, 0, 0, 0, 0, 0x80],               // return KILL_PROCESS
            [0x20, 0, 0, 0, 0, 0, 0, 0],                  // A = sys_number
            [0x35, 0, 0, 1, 0, 0, 0, 0x40],               // if (A >= 0x40000000) fall through, else skip 1
            [0x06, 0, 0, 0, 0, 0, 0, 0x80],               // return KILL_PROCESS
            [0x15, 0, 0, 1, 0x10, 0x01, 0, 0],            // if (A != unshare (272)) skip 1
            [0x06, 0, 0, 0, 1, 0, 5, 0],                  // return ERRNO(EPERM)
            [0x15, 0, 0, 1, 0x34, 0x01, 0, 0],            // if (A != setns (308)) skip 1
            [0x06, 0, 0, 0, 1, 0, 5, 0],                  // return ERRNO(EPERM)
            [0x15, 0, 0, 1, 169, 0, 0, 0],                // if (A != reboot (169)) skip 1
            [0x06, 0, 0, 0, 0, 0, 0, 0x80],               // return KILL_PROCESS
            [0x06, 0, 0, 0, 0, 0, 0xff, 0x7f],            // return ALLOW
        ]
        let filter = SeccompFilter(Self.noNamespaces)
        #expect(filter.instructions.map(\.bytes) == expected)
        #expect(filter.bytes == expected.flatMap { $0 })
    }

    @Test func theDisassemblyReadsAsSeccompToolsDumpsIt() {
        #expect(SeccompFilter(Self.noNamespaces).disassembly == [
            " line  CODE  JT   JF      K",
            "=================================",
            " 0000: 0x20 0x00 0x00 0x00000004  A = arch",
            " 0001: 0x15 0x01 0x00 0xc000003e  if (A == ARCH_X86_64) goto 0003",
            " 0002: 0x06 0x00 0x00 0x80000000  return KILL_PROCESS",
            " 0003: 0x20 0x00 0x00 0x00000000  A = sys_number",
            " 0004: 0x35 0x00 0x01 0x40000000  if (A < 0x40000000) goto 0006",
            " 0005: 0x06 0x00 0x00 0x80000000  return KILL_PROCESS",
            " 0006: 0x15 0x00 0x01 0x00000110  if (A != unshare) goto 0008",
            " 0007: 0x06 0x00 0x00 0x00050001  return ERRNO(1)",
            " 0008: 0x15 0x00 0x01 0x00000134  if (A != setns) goto 0010",
            " 0009: 0x06 0x00 0x00 0x00050001  return ERRNO(1)",
            " 0010: 0x15 0x00 0x01 0x000000a9  if (A != reboot) goto 0012",
            " 0011: 0x06 0x00 0x00 0x80000000  return KILL_PROCESS",
            " 0012: 0x06 0x00 0x00 0x7fff0000  return ALLOW",
        ])
    }

    @Test func verdictsFollowTheFirstRuleNamingACallAndTheArchitecture() {
        let filter = SeccompFilter(Self.noNamespaces)
        #expect(filter.verdict(for: SystemCall(name: "unshare")!) == .errno(.EPERM))
        #expect(filter.verdict(for: SystemCall(name: "reboot")!) == .killProcess)
        #expect(filter.verdict(for: SystemCall(name: "read")!) == .allow)
        // An x32 call, and any call of a 32-bit program, is turned away before any rule.
        #expect(filter.verdict(for: SystemCall(number: 0x4000_0000 | 272)) == .killProcess)
        #expect(filter.verdict(for: SystemCall(name: "read")!, architecture: SeccompData.i386) == .killProcess)
        // The lesson's mistake: without the check, a 32-bit program's calls are judged by
        // x86_64's numbers, and i386's unshare (310, x86_64's process_vm_readv) walks through.
        let unchecked = SeccompFilter(Self.noNamespaces, checksArchitecture: false)
        #expect(unchecked.instructions.count == filter.instructions.count - 5)
        #expect(unchecked.verdict(for: SystemCall(number: 310), architecture: SeccompData.i386) == .allow)
    }

    @Test func dockersDefaultDenialsAreAllKnownCalls() {
        let calls = SeccompProfile.dockerDefault.rules.flatMap(\.calls)
        #expect(calls.count == 48, "a name the table does not know was dropped")
        let filter = SeccompFilter(.dockerDefault)
        #expect(filter.verdict(for: SystemCall(name: "clone3")!) == .errno(Errno(ENOSYS)))
        #expect(filter.verdict(for: SystemCall(name: "mount")!) == .errno(.EPERM))
        #expect(filter.verdict(for: SystemCall(name: "clone")!) == .allow)
    }

    @Test func systemCallsAndErrnosByName() {
        #expect(SystemCall(name: "read")?.number == 0)
        #expect(SystemCall(name: "mount")?.number == 165)
        #expect(SystemCall(name: "umount2")?.number == 166)
        #expect(SystemCall(name: "unshare")?.number == 272)
        #expect(SystemCall(name: "clone3")?.number == 435)
        #expect(SystemCall(name: "umount") == nil)
        #expect(SystemCall(number: 435).name == "clone3")
        #expect(SystemCall(number: 400).name == "syscall_400")
        #expect(SystemCall.allNames.count == 335 + 27)
        #expect(Errno(name: "EPERM") == .EPERM)
        #expect(Errno(name: "EPREM") == nil)
        #expect(SeccompAction.errno(Errno(name: "ENOSYS")!).description == "ERRNO(38)")
    }
}

/// A filter loaded between fork and exec: the kernel's verdicts are the ones BoxLab reads
/// in the filter, and /proc shows it in place.
@Suite(.enabled(if: getuid() == 0, "a filter without no_new_privs needs CAP_SYS_ADMIN"))
struct SeccompLoadTests {
    @Test("a loaded filter denies unshare with EPERM, as BoxLab's reading of it says, and shows in /proc")
    func loaded() throws {
        let filter = SeccompFilter(SeccompFilterTests.noNamespaces)
        var launch = ProcessLaunch(path: "/bin/sh", arguments: ["sh", "-c", "unshare --uts true 2>&1; grep ^Seccomp /proc/self/status"], environment: ["PATH=/usr/bin:/bin"])
        launch.setup = [.loadSeccompFilter(filter)]
        var pipe = try ChildProcess.pipe()
        launch.stdout = pipe.write
        let recorder = TraceRecorder()
        let process = try Trace.recording(into: recorder) { try launch.start() }
        try? pipe.write.close()
        let output = String(decoding: try ChildProcess.readAll(pipe.read), as: UTF8.self)
        try? pipe.read.close()
        #expect(try ChildProcess.wait(process.child) == .exited(0))
        #expect(filter.verdict(for: SystemCall(name: "unshare")!) == .errno(.EPERM))
        #expect(output.contains("unshare failed: Operation not permitted"), "\(output)")
        #expect(output.contains("Seccomp:\t2\n") && output.contains("Seccomp_filters:\t1\n"), "\(output)")
        #expect(recorder.entries.map(\.description).contains { $0.hasSuffix("seccomp(SECCOMP_SET_MODE_FILTER, 0, {len=13, filter=0x…}) = 0") })
    }

    /// The same call through x86_64's other ABIs: a filter that checks the architecture
    /// first kills an i386 or x32 caller; one that does not compares the other ABI's number
    /// with x86_64's and lets it through.
    @Test func withoutTheArchitectureCheckTheOtherABIsGoRoundTheRules() {
        let mount = SystemCall(name: "mount")!
        #expect(mount.i386Number == 21)
        #expect(SystemCall(name: "unshare")!.i386Number == 310)
        #expect(SystemCall(name: "arch_prctl")!.i386Number == 384)
        #expect(SystemCall(name: "clone3")!.i386Number == 435)
        let others = SeccompFilter.otherABIs(of: mount)
        #expect(others.map(\.abi) == ["x32", "i386"])
        #expect(others.map(\.number) == [0x4000_00a5, 21])
        let profile = SeccompProfile(defaultAction: .allow, rules: [.init(.errno(.EPERM), [mount])])
        let checked = SeccompFilter(profile), unchecked = SeccompFilter(profile, checksArchitecture: false)
        for filter in [checked, unchecked] { #expect(filter.verdict(for: mount) == .errno(.EPERM)) }
        #expect(others.map { checked.verdict(number: $0.number, architecture: $0.architecture) } == [.killProcess, .killProcess])
        #expect(others.map { unchecked.verdict(number: $0.number, architecture: $0.architecture) } == [.allow, .allow])
    }
}
