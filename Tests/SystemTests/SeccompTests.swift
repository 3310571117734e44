import Foundation
import Testing

/// A seccomp filter loaded into a process built by hand: the kernel denies what the profile
/// denies (the program's own error says so), /proc shows the filter, and the expectations
/// judge it; in the sandbox and on the host.
@Suite(.enabled(if: Harness.isRoot, "needs root: namespaces and seccomp"))
struct SeccompTests {
    @Test("seccomp load between clone and exec: unshare fails with EPERM in the program, and the expectations read it", arguments: [[], ["--host", "--trust"]])
    func loadedBeforeExec(mode: [String]) throws {
        let harness = Harness()
        let lab = try harness.writeLab("92-seccomp.md", """
        ---
        id: 92-seccomp
        title: A filter by hand
        ---
        ## Step 1: What the kernel answers a filtered program
        ```run
        echo "default allow" > profile
        echo "errno EPERM: unshare setns" >> profile
        echo "kill: reboot" >> profile
        seccomp dump profile
        clone -m -u -p
        tried=$!
        seccomp load profile
        exec /bin/sh -c "unshare --uts true 2> denied.txt"
        wait $tried
        ```
        ```expect
        file denied.txt contains "Operation not permitted"
        ```
        ## Step 2: What /proc and the filters say of a running one
        ```run
        clone -m -u -p
        box=$!
        seccomp load profile
        exec sleep 1000
        ```
        ```expect
        seccomp $box mode 2 filters 1
        denied unshare in $box with EPERM
        denied reboot in $box with kill
        allowed read in $box
        ```
        ## Step 3: A process without one
        ```run
        unshare --uts sleep 1000 &
        plain=$!
        ```
        ```expect
        seccomp $plain mode 0 filters 0
        allowed unshare in $plain
        ```
        """)
        let run = try harness.run(harness.process(["run", lab] + mode))
        #expect(run.status == 0 && run.stdout.contains("✓ all 3 steps passed"), "\(run.output.suffix(4000))")
        try harness.resetAndExpectNothingLeft()
        guard mode.isEmpty else { return }
        let verify = try harness.run(harness.process(["verify", lab]))
        #expect(verify.status == 0, "\(verify.output)")
        try harness.resetAndExpectNothingLeft()
        // What the learner sees (a transcript is made in the sandbox): the filter listed, and
        // loaded by the process itself.
        let transcript = try harness.run(harness.process(["record", lab, "--stdout"]))
        #expect(transcript.stdout.contains(" 0006: 0x15 0x00 0x01 0x00000110  if (A != unshare) goto 0008"), "\(transcript.output)")
        #expect(transcript.stdout.contains("seccomp(SECCOMP_SET_MODE_FILTER, 0, {len=13, filter=0x…}) = 0"), "\(transcript.output)")
        #expect(transcript.stdout.contains("✓ unshare is denied in $box with EPERM: the filters answer unshare with ERRNO(1)"), "\(transcript.output)")
        #expect(transcript.stdout.contains("✓ read is allowed in $box: the filters answer read with ALLOW\n"), "\(transcript.output)")
        try harness.resetAndExpectNothingLeft()
    }
}
