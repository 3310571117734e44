import Foundation
import Testing

/// Paths that leave the workspace (issue 12, "one path funnel"): each lab file is one
/// attempt, aimed only at a canary in the test's own scratch directory, refused before any
/// call with one line naming file:line, the path as written and the rule, in the sandbox and
/// on the host. The workspace is <base>/run/workspace/<lab>, so ../../../outside is <base>/outside.
@Suite(.enabled(if: Harness.isRoot, "needs root: mounts and namespaces"))
struct PathTests {
    static let rule = "(lab paths stay below <ws>; allowed outside it: /proc/PID/ns/* and /proc/PID/{"

    /// Each attempt: its step (the `run` block starts at line 7) and the line that must
    /// refuse it. `BASE` is the test's scratch directory.
    static let attempts: [(body: String, refusal: String)] = [
        ("```run\necho x > ../../../outside/canary\n```\n",
         ":7: echo: '../../../outside/canary' is outside the workspace "),
        ("```run\nln -s ../../../outside link\necho x > link/canary\n```\n",
         ":8: echo: 'link/canary' leads out of the workspace through '..' or a symbolic link "),
        ("```run\nln -s BASE/outside link\nrm link/canary\n```\n",
         ":8: rm: 'link/canary' leads out of the workspace through '..' or a symbolic link "),
        ("```run\nln -s ../../../outside/canary link\ntouch link\n```\n",
         ":8: touch: 'link' leads out of the workspace through '..' or a symbolic link "),
        ("```run\nmkdir BASE/outside/made\n```\n",
         ":7: mkdir: 'BASE/outside/made' is outside the workspace "),
        ("```run\nmkdir m\nmount --bind ../../../outside m\n```\n",
         ":8: mount: '../../../outside' is outside the workspace "),
        ("```run\nmkdir m\nmount -t overlay overlay -o lowerdir=../../../outside,upperdir=u,workdir=w m\n```\n",
         ":8: mount: '../../../outside' is outside the workspace "),
        ("```run\ncd ../../../outside\n```\n",
         ":7: cd: '../../../outside' is outside the workspace "),
        ("```run\nmkdir d\n```\n\n```expect\nfile ../../../outside/canary == \"canary\"\n```\n",
         ":11: '../../../outside/canary' is outside the workspace "),
        ("```run\nln -s ../../../outside link\n```\n\n```expect\nfile link/canary == \"canary\"\n```\n",
         ":11: 'link/canary' leads out of the workspace through '..' or a symbolic link "),
        // The process being set up resolves its paths itself, from its current directory.
        ("```run\nclone -m -u\nmkdir ../../../outside/made\n```\n",
         ":8: mkdir: '../../../outside/made' leads out of the workspace through '..' or a symbolic link "),
        ("```run\nln -s ../../../outside link\nclone -m -u\nmkdir link/made\n```\n",
         ":9: mkdir: 'link/made' leads out of the workspace through '..' or a symbolic link "),
        // chroot leaves the current directory outside the new root, where `..` still climbs.
        ("```run\nmkdir r\nclone -m -u\nchroot r\nmkdir ../../../outside/made\n```\n",
         ":10: mkdir: '../../../outside/made' is relative to a current directory that may lie outside the workspace or the process's new root: cd to an absolute path first "),
        // After chroot, paths are walked beneath the new root.
        ("```run\nmkdir r\nln -s ../../../../outside r/up\nclone -m -u\nchroot r\ncd /\nmkdir up/made\n```\n",
         ":12: mkdir: 'up/made' leads out of the process's root through '..' or a symbolic link "),
    ]

    @Test("a path out of the workspace is refused with file:line and the rule, before any call", arguments: 0..<attempts.count)
    func refused(index: Int) throws {
        let harness = Harness()
        let outside = harness.base + "/outside"
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        try "canary".write(toFile: outside + "/canary", atomically: false, encoding: .utf8)
        let (body, refusal) = Self.attempts[index]
        let lab = try harness.writeLab("95-escape.md", "---\nid: 95-escape\ntitle: Escape\n---\n## Step 1: Out\n"
            + body.replacing("BASE", with: harness.base))
        for mode in [[], ["--host"]] {
            let result = try harness.run(harness.process(["run", lab] + mode))
            #expect(result.status == 1, "\(mode): \(result.output)")
            let line = "✗ \(lab)" + refusal.replacing("BASE", with: harness.base) + Self.rule
            #expect(result.stdout.contains(line), "\(mode): expected \(line)\n\(result.stdout)")
            // Only the command lines, the refusal and symlink's target (text) name the outside:
            // no traced call reached it.
            let calls = result.stdout.split(separator: "\n").filter {
                $0.contains("outside") && !$0.hasPrefix("$ ") && !$0.hasPrefix("✗ ") && !$0.hasPrefix("  symlink(")
            }
            #expect(calls.isEmpty, "\(mode): \(calls)")
            #expect(try String(contentsOfFile: outside + "/canary", encoding: .utf8) == "canary")
            #expect(try FileManager.default.contentsOfDirectory(atPath: outside) == ["canary"])
            harness.expectNothingLeft()
        }
    }

    @Test("the kernel places the labs use stay open: a process's namespaces and maps, /run/netns, the lab's cgroups")
    func allowed() throws {
        let harness = Harness()
        let lab = try harness.writeLab("96-allowed.md", """
            ---
            id: 96-allowed
            title: Allowed
            ---
            ## Step 1: In
            ```run
            unshare -U -r --net sleep 30 &
            p=$!
            readlink /proc/$p/ns/net
            cat /proc/$p/uid_map
            ln -s /proc/$p/ns/net /run/netns/p96
            ls /run/netns
            mkdir -p a/b
            cd a/b
            echo x > ../../c
            ```

            ```expect
            file c == "x"
            netns p96
            ```

            """)
        // A lab given by path is not one of BoxLab's own: on the host it starts programs only with --trust.
        for mode in [[], ["--host", "--trust"]] {
            let result = try harness.run(harness.process(["run", lab] + mode))
            #expect(result.status == 0, "\(mode): \(result.output)")
            harness.expectNothingLeft()
        }
    }
}
