import Kernel
import Testing
@testable import Lab

/// Seccomp profiles as labs write them, and the seccomp expectations, as parsed: bad input
/// is one line naming the file and line (or the form) and the fix.
struct SeccompProfileTests {
    @Test func aProfileReadsAsItsRulesInOrder() throws {
        let profile = try SeccompProfileText.parse("""
            # the intent of Docker's default profile
            default allow
            errno EPERM: unshare setns   # no new namespaces
            errno 38: clone3
            kill: reboot

            """, file: "profile")
        #expect(profile.defaultAction == .allow)
        #expect(profile.rules == [
            .init(.errno(.EPERM), [SystemCall(name: "unshare")!, SystemCall(name: "setns")!]),
            .init(.errno(Errno(38)), [SystemCall(name: "clone3")!]),
            .init(.killProcess, [SystemCall(name: "reboot")!]),
        ])
        // A filter written out and read back from the ledger's hex is the same filter.
        let filter = SeccompFilter(profile)
        #expect(SeccompFilter(hex: filter.hex) == filter)
        #expect(SeccompFilter(hex: "20000000040000") == nil && SeccompFilter(hex: "zz00000004000000") == nil)
    }

    @Test("bad profiles name the file, the line and the fix", arguments: [
        ("default allow\nerrno EPERM: mout", "p:2: unknown system call 'mout': did you mean 'mount'? (calls are named as x86_64's kernel names them (umount2, not umount))"),
        ("default allow\nerrno EPREM: mount", "p:2: unknown errno 'EPREM' (an errno name such as EPERM or ENOSYS, or a number from 1 to 4095)"),
        ("default allow\nerrno 5000: mount", "p:2: unknown errno '5000' (an errno name such as EPERM or ENOSYS, or a number from 1 to 4095)"),
        ("default alow", "p:1: unknown action 'alow': did you mean 'allow'? (an action is allow, errno NAME, kill, kill-thread, trap, log or notify)"),
        ("default allow\ndefault kill", "p:2: a second default action (a profile has one default: the verdict for every call no rule names)"),
        ("default allow\nunshare mount", "p:2: expected 'ACTION: CALL...' or 'default ACTION', found 'unshare mount'"),
        ("default allow\nkill:", "p:2: no system call after 'kill:'"),
        ("errno EPERM: mount", "p: no 'default ACTION' line (say what every call no rule names gets: default allow (a deny list) or default errno EPERM (an allow list))"),
        ("default errno", "p:1: errno takes one errno: errno EPERM"),
    ])
    func bad(text: String, message: String) {
        #expect(throws: CommandError.self) { try SeccompProfileText.parse(text, file: "p") }
        do { _ = try SeccompProfileText.parse(text, file: "p") } catch { #expect(error.description == message) }
    }

    @Test func expectationsParse() throws {
        #expect(try ExpectationParser.parse("seccomp $box mode 2") == .seccomp(.mode(process: "$box", mode: 2, filters: nil)))
        #expect(try ExpectationParser.parse("seccomp $box mode 2 filters 1") == .seccomp(.mode(process: "$box", mode: 2, filters: 1)))
        #expect(try ExpectationParser.parse("denied unshare in $box with EPERM") == .seccomp(.verdict(call: SystemCall(name: "unshare")!, process: "$box", .errno(.EPERM))))
        #expect(try ExpectationParser.parse("not denied read in $box") == .not(.seccomp(.verdict(call: SystemCall(name: "read")!, process: "$box", .denied))))
        #expect(try ExpectationParser.parse("allowed read in $box") == .seccomp(.verdict(call: SystemCall(name: "read")!, process: "$box", .allowed)))
        #expect(try ExpectationParser.parse("denied unshare in $box").subject == "seccomp unshare $box")
        #expect(try ExpectationParser.parse("denied reboot in $box with kill-thread") == .seccomp(.verdict(call: SystemCall(name: "reboot")!, process: "$box", .killThread)))
        // What the filters answer, against each verdict.
        #expect(SeccompExpectation.Verdict.errno(.EPERM).matches(.errno(.EPERM)) && !SeccompExpectation.Verdict.errno(.EPERM).matches(.errno(Errno(38))))
        #expect(SeccompExpectation.Verdict.denied.matches(.trap) && !SeccompExpectation.Verdict.denied.matches(.log))
        #expect(SeccompExpectation.Verdict.allowed.matches(.log) && !SeccompExpectation.Verdict.allowed.matches(.killProcess))
    }

    @Test("bad seccomp expectations say what was expected", arguments: [
        ("seccomp $box mode 3", "seccomp takes a process, mode and 0, 1 or 2 (expected: seccomp PROC mode 0|1|2 [filters N])"),
        ("seccomp $box mode 2 filters x", "after the mode, expected filters N (expected: seccomp PROC mode 0|1|2 [filters N])"),
        ("denied mout in $box", "unknown system call 'mout': did you mean 'mount'? (expected: denied CALL in PROC [with ERRNO|kill|kill-thread|trap])"),
        ("allowed read in $box with EPERM", "allowed takes a system call, in and a process, and nothing after (expected: allowed CALL in PROC)"),
        ("denied mount $box", "denied takes a system call, in and a process (expected: denied CALL in PROC [with ERRNO|kill|kill-thread|trap])"),
        ("denied mount in $box with EPREM", "after the process, expected with ERRNO (EPERM, ENOSYS…), with kill, with kill-thread or with trap (expected: denied CALL in PROC [with ERRNO|kill|kill-thread|trap])"),
    ])
    func badExpectation(line: String, message: String) {
        do {
            _ = try ExpectationParser.parse(line)
            Issue.record("\(line) was accepted")
        } catch {
            #expect(error.description == message)
        }
    }
}
