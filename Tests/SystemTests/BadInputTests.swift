import Foundation
import Testing

/// Bad input gets one clear line naming the file:line or the missing piece and the fix;
/// never a crash, a Swift trap or half-made state.
@Suite(.enabled(if: Harness.isRoot, "needs root: mounts and namespaces"))
struct BadInputTests {
    static let header = "---\nid: 91-bad\ntitle: Bad\n---\n## Step 1: Do\n"

    /// A lab file and the one line its load must fail with.
    static let badLabs: [(body: String, error: String)] = [
        ("```run\nfrobnicate lower\n```\n", "91-bad.md:7: unknown command 'frobnicate' (BoxLab performs cd, pwd, mkdir"),
        ("```run\nmkdir -z lower\n```\n", "91-bad.md:7: mkdir: unknown option -z (it knows -p/--parents, -m/--mode)"),
        ("```run\ncat lower/x | grep y\n```\n", "91-bad.md:7: '|' is a pipe: BoxLab runs one command per line; use an sh block for shell features (column 13)"),
        ("```expect\nmounted merged\n```\n", "91-bad.md:7: bad expectation: unknown expectation 'mounted' (expected: one of: mount, file, dir"),
        ("```expect\nfile x = \"y\"\n```\n", "91-bad.md:7: bad expectation: after the path, expected == \"TEXT\" or contains \"TEXT\""),
        ("```expect\nmount merged propagation=sideways\n```\n", "91-bad.md:7: bad expectation: propagation is private, shared, slave or unbindable, not 'sideways'"),
        ("```rnu\nmkdir a\n```\n", "91-bad.md:6: unknown block kind 'rnu': did you mean 'run'?"),
        ("```run\nmkdir a\n", "91-bad.md:6: unterminated ```run block: close it with a ``` line"),
        ("```run\necho \"unterminated > f\n```\n", "91-bad.md:7: unterminated double quote: add the closing \" (column 6)"),
        ("```run\ncat < in.txt\n```\n", "91-bad.md:7: cat: input redirection (< in.txt) is not supported (use an sh block)"),
    ]

    @Test("a malformed lab file is refused with file:line before anything is made", arguments: 0..<badLabs.count)
    func badLab(index: Int) throws {
        let harness = Harness()
        let (body, error) = BadInputTests.badLabs[index]
        let lab = try harness.writeLab("91-bad.md", BadInputTests.header + body)
        let result = try harness.boxlab("run", lab)
        #expect(result.status == 2)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(result.stderr)")
        #expect(result.stderr.contains(error), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: harness.runDir), "nothing may be made for a lab that does not load")
    }

    @Test("front matter errors name the line")
    func frontMatter() throws {
        let harness = Harness()
        let lab = try harness.writeLab("92-front.md", "---\nid: 92-front\ntitel: Oops\n---\n## Step 1: A\n```run\nmkdir a\n```\n")
        let result = try harness.boxlab("run", lab)
        #expect(result.status == 2)
        #expect(result.stderr.contains("92-front.md:3: unknown front-matter key 'titel': did you mean 'title'?"), "\(result.stderr)")
    }

    @Test("an unknown requirement names the line, the entry and the known ones")
    func unknownRequirement() throws {
        let harness = Harness()
        let lab = try harness.writeLab("92-front.md", "---\nid: 92-front\ntitle: Warp\nrequires: [root, warpdrive]\n---\n## Step 1: A\n```run\nmkdir a\n```\n")
        let result = try harness.boxlab("run", lab)
        #expect(result.status == 2)
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        #expect(result.stderr.contains("92-front.md:4: unknown requirement 'warpdrive': the requirements are root, overlay, cgroups"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: harness.runDir))
    }

    /// A run line and the one failure it gives: each once looped forever, trapped, or passed.
    static let badRunLines: [(line: String, error: String)] = [
        ("printf '%5%'", "printf: %5%: invalid or unsupported conversion specification"),
        ("printf '%d\\n' abc", "printf: 'abc': expected a numeric value"),
        ("container run --memory 1ß img", "container run: '1ß' is not a size: write 32M, 33554432 or max"),
        ("container run --memory 99999999999999999999G img", "container run: '99999999999999999999G' is not a size"),
        ("container run --cpus 1e400 img", "container run: bad --cpus '1e400'"),
        ("container run --pids -1 img", "container run: '-1' is not a count"),
        ("sysctl =", "sysctl: \"\" is not a parameter name"),
        ("mkdir -m 77777 d", "mkdir: invalid mode '77777'"),
    ]

    @Test("bad values on a run line fail that line in one line, leaving nothing", arguments: 0..<badRunLines.count)
    func badRunLine(index: Int) throws {
        let harness = Harness()
        let (line, error) = BadInputTests.badRunLines[index]
        let lab = try harness.writeLab("93-values.md", "---\nid: 93-values\ntitle: Values\n---\n## Step 1: A\n```run\n\(line)\n```\n")
        let result = try harness.boxlab("run", lab)
        #expect(result.status == 1)
        #expect(result.stdout.contains("✗ \(lab):7: \(error)"), "\(result.stdout)")
        #expect(!result.output.contains("Fatal error"))
        harness.expectNothingLeft()
    }

    @Test("printf with %% and widths writes what coreutils' printf writes")
    func printfFormats() throws {
        let harness = Harness()
        let lab = try harness.writeLab("94-printf.md", """
            ---
            id: 94-printf
            title: printf
            ---
            ## Step 1: Format
            ```run
            printf '100%%\\n' > percent
            printf '%5s|%-3d|%03d\\n' ab 7 5 > widths
            printf '%s=%d;' a 1 b 2 > repeated
            ```
            ```expect
            file percent == "100%"
            file widths == "   ab|7  |005"
            file repeated == "a=1;b=2;"
            ```
            """)
        let result = try harness.boxlab("run", lab)
        #expect(result.status == 0, "\(result.output)")
        harness.expectNothingLeft()
    }

    @Test("an unknown lab lists the known ones")
    func unknownLab() throws {
        let harness = Harness()
        let result = try harness.boxlab("run", "99-nope")
        #expect(result.status == 2)
        #expect(result.stderr == "boxlab: 99-nope: no such lab: known labs: \(Harness.labIDs().joined(separator: ", "))\n")
    }

    @Test("a command that fails at run time names file:line, the call's errno and the cause, and leaves nothing")
    func runtimeFailure() throws {
        let harness = Harness()
        let lab = try harness.writeLab("93-fails.md", "---\nid: 93-fails\ntitle: Fails\n---\n## Step 1: Mount without layers\n```run\nmkdir upper work merged\nmount -t overlay overlay -o lowerdir=lower,upperdir=upper,workdir=work merged\n```\n")
        for mode in [[], ["--host"]] {
            let result = try harness.run(harness.process(["run", lab] + mode))
            #expect(result.status == 1)
            #expect(result.stdout.contains("✗ \(lab):8: mount: mounting overlay on merged failed: ENOENT (No such file or directory)"), "\(result.stdout)")
            #expect(result.stdout.contains("cause: lowerdir <ws>/lower does not exist; mkdir it first"))
            harness.expectNothingLeft()
        }
    }

    @Test("check: a step that does not exist, and no session to check")
    func checkErrors() throws {
        let harness = Harness()
        var result = try harness.boxlab("check", "02-overlayfs", "--step", "42")
        #expect(result.status == 2)
        #expect(result.stderr == "boxlab: 02-overlayfs has steps 1 to 8, not 42\n")
        result = try harness.boxlab("check", "02-overlayfs", "--step", "2")
        #expect(result.status == 1)
        #expect(result.stderr == "boxlab: no BoxLab session is running: start one with `boxlab` (the REPL) in another terminal, or use --host\n")
    }

    @Test("a bad option value is refused by the argument parser")
    func badSteps() throws {
        let harness = Harness()
        let result = try harness.boxlab("run", "02-overlayfs", "--steps", "5-2")
        #expect(result.status != 0)
        #expect(result.stderr.contains("--steps"))
        #expect(!FileManager.default.fileExists(atPath: harness.runDir))
    }

    @Test("not root: one line that says how to fix it")
    func notRoot() throws {
        let harness = Harness()
        let child = Child(executable: "/usr/bin/setpriv", arguments: ["--reuid=65534", "--regid=65534", "--clear-groups", Harness.binary, "run", "02-overlayfs"],
                          environment: harness.environment())
        let result = try harness.run(child)
        #expect(result.status == 2)
        #expect(result.stderr == "boxlab: must run as root, since it makes mounts and namespaces: sudo boxlab run 02-overlayfs\n")
    }

    @Test("in the REPL, unknown commands and wrong paths get one line with the cause")
    func replErrors() throws {
        let harness = Harness()
        let result = try harness.boxlab("02-overlayfs", "--restart", stdin: "frob x\ncat nothing/here.txt\nmkdir -q a\nmount -t overlay overlay -o lowerdir=x merged\nopen 77-missing\nquit\n")
        #expect(result.status == 0)
        harness.expectLines([
            "✗ unknown command 'frob'",
            "✗ cat: nothing/here.txt: ENOENT (No such file or directory)",
            "✗ mkdir: unknown option -q",
            "cause: lowerdir <ws>/x does not exist; mkdir it first",
            "✗ 77-missing: no such lab",
        ], in: result.stdout)
        #expect(!result.output.contains("Fatal error"))
        harness.expectNothingLeft()
    }
}
