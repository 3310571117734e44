import Testing
@testable import Lab

struct ExpectationParserTests {
    @Test func mountWithOptions() throws {
        let expectation = try ExpectationParser.parse("mount merged fstype=overlay lowerdir=l3:l2:l1 propagation=private ro")
        guard case .mount(let path, let fstype, let propagation, let readOnly, let options) = expectation else {
            Issue.record("parsed as \(expectation)")
            return
        }
        #expect(path == "merged")
        #expect(fstype == "overlay")
        #expect(propagation == "private")
        #expect(readOnly == true)
        #expect(options.map(\.key) == ["lowerdir"])
        #expect(options.map(\.value) == ["l3:l2:l1"])
    }

    @Test func fileContent() throws {
        #expect(try ExpectationParser.parse("file merged/a.txt == \"I'm from upper\"") == .file(path: "merged/a.txt", content: .equals("I'm from upper")))
        #expect(try ExpectationParser.parse("file a contains 'x y'") == .file(path: "a", content: .contains("x y")))
        #expect(try ExpectationParser.parse("file a") == .file(path: "a", content: nil))
    }

    @Test func negationAndInvariants() throws {
        let not = try ExpectationParser.parse("no mount merged")
        #expect(not == .not(.mount(path: "merged", fstype: nil, propagation: nil, readOnly: nil, options: [])))
        #expect(not.subject == "merged")
        #expect(not.changesWithStep)
        let still = try ExpectationParser.parse("still whiteout upper/x")
        #expect(still == .still(.whiteout(path: "upper/x")))
        #expect(!still.changesWithStep)
    }

    @Test func otherForms() throws {
        #expect(try ExpectationParser.parse("dir merged has a b") == .directory(path: "merged", entries: ["a", "b"]))
        #expect(try ExpectationParser.parse("absent x") == .absent(path: "x"))
        #expect(try ExpectationParser.parse("opaque upper/d") == .opaque(path: "upper/d"))
        #expect(try ExpectationParser.parse("same a b") == .sameFile("a", "b"))
    }

    @Test("bad expectations say what was expected", arguments: [
        ("mounted x", "unknown expectation 'mounted' (expected: one of: mount, file, dir, absent, whiteout, opaque, same, netns, link, address, route, fdb, reach, connect, not, still)"),
        ("mount", "mount needs a path (expected: mount PATH [fstype=T] [propagation=P] [ro|rw] [OPTION=VALUE...])"),
        ("mount m overlay", "'overlay' is not KEY=VALUE (expected: mount PATH [fstype=T] [propagation=P] [ro|rw] [OPTION=VALUE...])"),
        ("mount m propagation=up", "propagation is private, shared, slave or unbindable, not 'up'"),
        ("file a = b", "after the path, expected == \"TEXT\" or contains \"TEXT\" (expected: file PATH [== \"TEXT\" | contains \"TEXT\"])"),
        ("dir a with b", "after the path, expected has NAME... (expected: dir PATH [has NAME...])"),
        ("whiteout a b", "whiteout takes one path"),
        ("same a", "same takes two paths (expected: same PATH PATH)"),
        ("not", "empty expectation"),
        ("file \"a", "unterminated double quote: add the closing \""),
    ])
    func bad(line: String, message: String) {
        #expect(throws: ExpectationError.self) { try ExpectationParser.parse(line) }
        do { _ = try ExpectationParser.parse(line) } catch { #expect(error.description == message) }
    }
}
