import Foundation
import Kernel
@testable import Lab
import LabFuzz
import Testing

/// Thousands of generated inputs thrown at the parsers — only at what parses without
/// performing: no command runs and no kernel object is made. A trap ends the test process
/// (a failed run); a hang ends it through the watchdog, which names the input first.
@Suite("Parsers under random input")
struct ParserFuzzTests {
    /// A parse slower than this is a failure. The longest generated inputs (about 70 000
    /// characters) take a few hundred milliseconds in a debug build on a busy 2-core machine;
    /// quadratic parsing of them took seconds.
    static let slow = Duration.seconds(2)

    /// Variables as a session has them, some with spaces, quotes and `$` in their values.
    static let variables: @Sendable (String) -> String? = { name in
        ["memory": "/sys/fs/cgroup/memory/boxlab", "!": "4242", "c1": "17", "x": "a b", "q": "'\"$x", "long": String(repeating: "v", count: 10_000)][name]
    }

    @Test("command lines: ShellWords, options, the command table", arguments: [1, 2, 3] as [UInt64])
    func commandLines(seed: UInt64) {
        var fuzzer = LabFuzzer(seed: seed)
        for _ in 0..<1_000 {
            let line = fuzzer.commandLine()
            withDeadline(line) {
                _ = try? CommandRunner.prepare(line)
                _ = try? ShellWords.parse(line, variables: Self.variables)
            }
        }
    }

    @Test("expectation lines", arguments: [1, 2, 3] as [UInt64])
    func expectationLines(seed: UInt64) {
        var fuzzer = LabFuzzer(seed: seed)
        for _ in 0..<1_000 {
            let line = fuzzer.expectationLine()
            withDeadline(line) { _ = try? ExpectationParser.parse(line) }
        }
    }

    @Test("lab files: front matter, steps, fences, and the validator", arguments: [1, 2] as [UInt64])
    func labFiles(seed: UInt64) {
        var fuzzer = LabFuzzer(seed: seed)
        for index in 0..<250 {
            let id = "\(index)-fuzz"
            let text = String(decoding: fuzzer.labFile(id: id), as: UTF8.self)
            withDeadline(text) {
                guard let lab = try? LabParser.parse(text, file: "labs/\(id).md") else { return }
                _ = try? LabValidator.validated(lab)
            }
        }
    }

    @Test("printf formats, sizes and counts", arguments: [1, 2] as [UInt64])
    func numbersAndFormats(seed: UInt64) {
        var fuzzer = LabFuzzer(seed: seed)
        for _ in 0..<1_000 {
            let text = fuzzer.numberOrFormat()
            withDeadline(text) {
                _ = try? PrintfFormat.render(text, arguments: [text, "1", text])
                _ = try? CgroupLimit(size: text)
                _ = try? CgroupLimit(count: text)
            }
        }
    }

    @Test("the generator is deterministic")
    func deterministic() {
        var first = LabFuzzer(seed: 42), second = LabFuzzer(seed: 42), other = LabFuzzer(seed: 43)
        let a = (0..<50).map { _ in first.commandLine() + first.expectationLine() }
        let b = (0..<50).map { _ in second.commandLine() + second.expectationLine() }
        let c = (0..<50).map { _ in other.commandLine() + other.expectationLine() }
        #expect(a == b)
        #expect(a != c)
        #expect(first.labFile(id: "1-x") == second.labFile(id: "1-x"))
    }

    @Test("most generated lab files load, so a run performs their steps")
    func labFilesMostlyLoad() {
        var fuzzer = LabFuzzer(seed: 9)
        let loaded = (0..<100).filter { index in
            let text = String(decoding: fuzzer.labFile(id: "\(index)-fuzz"), as: UTF8.self)
            return (try? LabParser.parse(text, file: "labs/\(index)-fuzz.md")).flatMap { try? LabValidator.validated($0) } != nil
        }.count
        #expect((40...95).contains(loaded))
    }

    /// Runs `parse`, failing past `slow` and ending the process past ten times that.
    private func withDeadline(_ input: String, _ parse: () -> Void) {
        let watchdog = Watchdog(input: input, after: Self.slow * 10)
        let start = ContinuousClock.now
        parse()
        let elapsed = ContinuousClock.now - start
        watchdog.cancel()
        #expect(elapsed < Self.slow, "took \(elapsed) to parse \(Self.shown(input))")
    }

    static func shown(_ input: String) -> String {
        let escaped = input.unicodeScalars.map { $0.escaped(asASCII: true) }.joined()
        return escaped.count > 300 ? String(escaped.prefix(300)) + "… (\(input.unicodeScalars.count) scalars)" : escaped
    }
}

/// Ends the process, naming the input, if it is not cancelled in time: a parser stuck in a
/// loop would otherwise hold the whole test run with nothing to reproduce it from.
private final class Watchdog: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)

    init(input: String, after limit: Duration) {
        let nanoseconds = limit.components.seconds * 1_000_000_000 + limit.components.attoseconds / 1_000_000_000
        Thread.detachNewThread { [done] in
            if done.wait(timeout: .now() + .nanoseconds(Int(nanoseconds))) == .timedOut {
                FileHandle.standardError.write(Data("parser hang: no result after \(limit) for \(ParserFuzzTests.shown(input))\n".utf8))
                abort()
            }
        }
    }

    func cancel() { done.signal() }
}
