import Kernel
import Testing
@testable import Lab

/// Each input here once trapped, looped or took quadratic time; now each is a one-line error
/// or the result coreutils gives.
@Suite("Bad input to the parsers")
struct BadInputParsingTests {
    @Test("printf formats as coreutils' printf does", arguments: [
        ("%%", [], "%"),
        ("%%\\n", ["x", "y"], "%\n"),
        ("100%% sure\\n", [], "100% sure\n"),
        ("%5s|", ["ab"], "   ab|"),
        ("%-5s|", ["ab"], "ab   |"),
        ("%05s|", ["ab"], "   ab|"),
        ("%.2s|", ["abc"], "ab|"),
        ("%5.1s|", ["abc"], "    a|"),
        ("%s\\n", ["a", "b", "c"], "a\nb\nc\n"),
        ("%s-%s\\n", ["a", "b", "c"], "a-b\nc-\n"),
        ("%d %i|", [], "0 0|"),
        ("%05d|%-4d|%4d|", ["42", "7", "-3"], "00042|7   |  -3|"),
        ("%+d % d %+d", ["5", "5", "-5"], "+5  5 -5"),
        ("%.3d|%-06d|%06.2d", ["7", "7", "7"], "007|7     |    07"),
        ("%*d|%-*d|", ["4", "7", "3", "1"], "   7|1  |"),
        ("%*s|", ["-3", "a"], "a  |"),
        ("%d %d %d %d", ["0x1F", "010", "'A", " +12"], "31 8 65 12"),
        ("%d", ["-9223372036854775808"], "-9223372036854775808"),
        ("%ld %hd", ["3", "4"], "3 4"),
        ("%c%c|", ["hello", "é!"], "hé|"),
        ("a\\tb\\101\\x41\\u00e9\\\"\\q", [], "a\tbAAé\"\\q"),
        ("one\\ctwo", [], "one"),
        ("x\\", [], "x\\"),
        ("%5s|", ["é"], "   é|"),
        ("%.1s|", ["é"], "|"),
    ] as [(String, [String], String)])
    func printfFormats(format: String, arguments: [String], output: String) throws {
        #expect(String(decoding: try PrintfFormat.render(format, arguments: arguments), as: UTF8.self) == output)
    }

    @Test("printf refuses what it does not know in one line", arguments: [
        ("%5%", [], "%5%: invalid or unsupported conversion specification"),
        ("%", [], "%: invalid or unsupported conversion specification"),
        ("%f", ["1.5"], "%f: invalid or unsupported conversion specification"),
        ("%-08.3q", ["1"], "%-08.3q: invalid or unsupported conversion specification"),
        ("%d", ["abc"], "'abc': expected a numeric value"),
        ("%d", [""], "'': expected a numeric value"),
        ("%d", ["12abc"], "'12abc': value not completely converted"),
        ("%d", ["08"], "'08': value not completely converted"),
        ("%d", ["99999999999999999999"], "'99999999999999999999': Numerical result out of range"),
        ("%d", ["9223372036854775808"], "'9223372036854775808': Numerical result out of range"),
        ("%99999999999999999999s", ["a"], "field width 99999999999999999999 is too large"),
        ("%.9999999d", ["1"], "precision 9999999 is too large"),
        ("%*s", ["-99999999", "a"], "field width -99999999 is too large"),
        ("\\x", [], "missing hexadecimal number in escape"),
        ("\\u12", [], "invalid universal character name \\u12"),
        ("\\ud800", [], "invalid universal character name \\ud800"),
    ] as [(String, [String], String)])
    func printfErrors(format: String, arguments: [String], message: String) {
        #expect(throws: PrintfError.self) { try PrintfFormat.render(format, arguments: arguments) }
        do { _ = try PrintfFormat.render(format, arguments: arguments) } catch {
            #expect(error.message == message)
            #expect(!error.message.contains("\n") && !(error.cause ?? "").contains("\n"))
        }
    }

    @Test("sizes and counts that once trapped or overflowed are one-line errors", arguments: [
        "1ß", "1ﬃ", "ß", "99999999999999999999G", "16777216T", "18446744073709551616", "-1", "1e400", "", "G", "1\u{0}M", "١٢M",
    ])
    func sizes(text: String) {
        #expect(throws: CgroupSizeError(text: text)) { try CgroupLimit(size: text) }
        #expect(throws: CgroupSizeError(text: text, isCount: true)) { try CgroupLimit(count: text) }
    }

    @Test("container run's limits are checked before the image is looked for", arguments: [
        (["--memory", "1ß"], "container run: '1ß' is not a size: write 32M, 33554432 or max"),
        (["--memory", "99999999999999999999G"], "container run: '99999999999999999999G' is not a size"),
        (["--pids", "-1"], "container run: '-1' is not a count"),
        (["--cpus", "1e400"], "container run: bad --cpus '1e400' (the number of CPUs the container may use, from 0.01 to 1024"),
        (["--cpus", "nan"], "container run: bad --cpus 'nan'"),
        (["--cpus", "0.000001"], "container run: bad --cpus '0.000001'"),
        (["--link", "db:"], "container run: bad --link 'db:' (--link NAME or NAME:ALIAS"),
        (["--link", "a:b:c"], "container run: bad --link 'a:b:c'"),
        (["--link", "../etc"], "container run: bad --link '../etc'"),
    ] as [([String], String)])
    func containerLimits(options: [String], message: String) throws {
        let parsed = try ParsedOptions.parse(options + ["no-such-image"], specs: ContainerSpec.options, command: "container run")
        do {
            _ = try ContainerSpec(parsed, resolve: { path, _ in "/nonexistent/boxlab-test/" + path })
            Issue.record("\(options) was accepted")
        } catch {
            #expect("\(error)".hasPrefix(message), "\(error)")
            #expect(!"\(error)".contains("\n"))
        }
    }

    @Test("long options with an empty name or value do not trap")
    func emptyLongOptions() throws {
        let specs: [OptionSpec] = [.value("t", "types"), .flag("B", "bind")]
        #expect(throws: CommandError.self) { try ParsedOptions.parse(["--="], specs: specs, command: "mount") }
        #expect(throws: CommandError.self) { try ParsedOptions.parse(["--=x"], specs: specs, command: "mount") }
        #expect(try ParsedOptions.parse(["--types="], specs: specs, command: "mount").value("types") == "")
        #expect(throws: CommandError(message: "mount: option --bind takes no value")) {
            try ParsedOptions.parse(["--bind=yes"], specs: specs, command: "mount")
        }
    }

    @Test("expectations nest only so deep: a line of thousands of nots is an error, not a stack overflow")
    func deepNesting() throws {
        #expect(try ExpectationParser.parse("not still absent x") == .not(.still(.absent(path: "x"))))
        for line in [String(repeating: "not ", count: 20_000) + "absent x", "mount a" + String(repeating: " in 1", count: 20_000)] {
            #expect(throws: ExpectationError(message: "expectations nest at most 8 deep (not, still, mount … in PROC)")) {
                try ExpectationParser.parse(line)
            }
        }
    }

    /// Quadratic, a word of 300 000 characters took 6 s and 30 000 continuations 38 s (a
    /// debug build): a few times longer input is a hang. Linear, each takes about a second.
    @Test("a long word and a long continuation parse in linear time")
    func longInput() throws {
        let word = String(repeating: "a", count: 600_000)
        let clock = ContinuousClock()
        var words: [String]?
        var elapsed = clock.measure { words = try? ShellWords.parse("echo " + word).words }
        #expect(words == ["echo", word])
        #expect(elapsed < .seconds(10), "ShellWords took \(elapsed)")
        let continued = "```run\n" + String(repeating: "echo \\\n", count: 30_000) + "x\n```\n"
        let text = "---\nid: 01-long\ntitle: Long\n---\n## Step 1: Go\n" + continued
        var lab: Lab?
        elapsed = clock.measure { lab = try? LabParser.parse(text, file: "labs/01-long.md") }
        #expect(lab?.steps[0].blocks[0].lines.count == 1)
        #expect(elapsed < .seconds(10), "the continuation took \(elapsed)")
    }
}
