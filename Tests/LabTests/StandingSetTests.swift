import FoundationEssentials
import Testing
@testable import Lab

/// The model of what still holds: retirements from a reference run decide which earlier
/// expectations a step re-checks; the cache is found only for the lab as it was run.
struct StandingSetTests {
    static let text = """
        ---
        id: 01-t
        title: T
        ---
        ## Step 1: A
        ```run
        echo 1 > a
        echo 1 > b
        ```
        ```expect
        file a == "1"
        file b == "1"
        ```
        ## Step 2: B
        ```run
        echo 2 > a
        ```
        ```expect
        file a == "2"
        ```
        ## Step 3: C
        ```run
        touch c
        ```
        ```expect
        file c
        ```
        """

    static func lab(_ text: String = text) throws -> Lab { try LabParser.parse(text, file: "01-t.md") }

    @Test("a retired expectation is not asked for from its step on; the others stand")
    func retiredFromItsStepOn() throws {
        let lab = try Self.lab()
        let set = StandingSet(lab: "01-t", fingerprint: "x", retirements: [.init(at: 2, expectation: .init(step: 1, index: 0))])
        #expect(set.standing(before: 2, in: lab).map { $0.1.map(\.text) } == [["file b == \"1\""]])
        let atThree = set.standing(before: 3, in: lab)
        #expect(atThree.map { $0.0.number } == [1, 2])
        #expect(atThree.map { $0.1.map(\.text) } == [["file b == \"1\""], ["file a == \"2\""]])
        #expect(set.standing(before: 1, in: lab).isEmpty)
    }

    @Test("the fingerprint follows what the lab performs and checks, not its prose")
    func fingerprint() throws {
        let base = StandingSet.fingerprint(of: try Self.lab())
        let prose = StandingSet.fingerprint(of: try Self.lab(Self.text.replacingOccurrences(of: "## Step 2: B\n", with: "## Step 2: B\nSome words.\n")))
        let command = StandingSet.fingerprint(of: try Self.lab(Self.text.replacingOccurrences(of: "echo 2 > a", with: "echo 3 > a")))
        let expectation = StandingSet.fingerprint(of: try Self.lab(Self.text.replacingOccurrences(of: "file c", with: "file d")))
        #expect(base == prose)
        #expect(base != command)
        #expect(base != expectation)
    }

    @Test("a cached set is used only for the lab it was made for, and only when it fits")
    func cache() throws {
        let lab = try Self.lab()
        let state = StateDirectory(path: "/tmp/boxlab-standing-test-\(UInt32.random(in: 0...UInt32.max))")
        defer { try? FileManager.default.removeItem(atPath: state.path) }
        #expect(StandingSet.cached(for: lab, in: state) == nil)
        let set = StandingSet(lab: "01-t", fingerprint: StandingSet.fingerprint(of: lab), retirements: [.init(at: 2, expectation: .init(step: 1, index: 0))])
        try set.save(in: state, for: lab)
        #expect(StandingSet.cached(for: lab, in: state) == set)
        let edited = try Self.lab(Self.text.replacingOccurrences(of: "echo 2 > a", with: "echo 3 > a"))
        #expect(StandingSet.cached(for: edited, in: state) == nil, "an edited lab needs a reference run of its own")
        // A file naming an expectation the lab does not have (forged, or from a bug) is not used.
        let forged = StandingSet(lab: "01-t", fingerprint: set.fingerprint, retirements: [.init(at: 2, expectation: .init(step: 1, index: 7))])
        try forged.save(in: state, for: lab)
        #expect(StandingSet.cached(for: lab, in: state) == nil)
    }

    @Test("two reference runs that disagree are told apart, naming the expectation")
    func differences() throws {
        let lab = try Self.lab()
        let one = StandingSet(lab: "01-t", fingerprint: "x", retirements: [.init(at: 2, expectation: .init(step: 1, index: 0))])
        let other = StandingSet(lab: "01-t", fingerprint: "x", retirements: [])
        #expect(one.differences(from: other, in: lab) == ["step 2 retires step 1's `file a == \"1\"` (01-t.md:11) in this run only"])
        #expect(one.differences(from: one, in: lab).isEmpty)
    }
}
