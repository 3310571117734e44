import Lab
import Testing

/// `requires: [ipvlan]` under a step heading: what the step needs from the kernel.
@Suite struct StepRequirementTests {
    private static let file = "labs/12-macvlan-ipvlan.md"
    private static let header = "---\nid: 12-macvlan-ipvlan\ntitle: T\n---\n"

    /// Step 1 (lines 5-8), then step 2 whose heading is line 9 and whose text is `body`.
    private static func lab(step2 body: String) -> String {
        header + "## Step 1: Go\n```run\nip netns add a\n```\n## Step 2: More\n" + body + "\n```run\nip netns add b\n```\n"
    }

    private func failure(_ text: String) -> String? {
        do { _ = try LabParser.parse(text, file: Self.file); return nil } catch { return error.description }
    }

    @Test("requires lines", arguments: [
        ("requires: [ipvlan]", ["ipvlan"]),
        ("requires: ipvlan", ["ipvlan"]),
        ("requires: [ ipvlan ]", ["ipvlan"]),
        ("Prose first.\n\nrequires: [ipvlan]\n\nMore prose.", ["ipvlan"]),
    ])
    func requiresLine(body: String, requires: [String]) throws {
        let lab = try LabParser.parse(Self.lab(step2: body), file: Self.file)
        #expect(lab.steps[0].requires.isEmpty)
        #expect(lab.steps[1].requires == requires)
        #expect(!lab.steps[1].prose.contains("requires"), "the line is not lesson text")
    }

    @Test("bad requires lines", arguments: [
        ("requires: [ipvlna]", "labs/12-macvlan-ipvlan.md:10: unknown requirement 'ipvlna': did you mean 'ipvlan'? (the requirements are ipvlan)"),
        ("requires: [root]", "labs/12-macvlan-ipvlan.md:10: unknown requirement 'root': the requirements are ipvlan"),
        ("requires: [ipvlan", "labs/12-macvlan-ipvlan.md:10: the 'requires' list is not closed: end it with ']'"),
        ("requires: ipvlan macvlan", "labs/12-macvlan-ipvlan.md:10: 'requires' is one word or a list in brackets: write 'requires: [ipvlan, macvlan]'"),
        ("requires:", "labs/12-macvlan-ipvlan.md:10: 'requires:' names what the step needs from the kernel: write 'requires: [ipvlan]'"),
        ("requires: [ipvlan]\nrequires: [ipvlan]", "labs/12-macvlan-ipvlan.md:11: step 2 has two 'requires:' lines: list everything it needs in one, 'requires: [a, b]'"),
    ])
    func badRequiresLine(body: String, message: String) {
        #expect(failure(Self.lab(step2: body)) == message)
    }

    /// In a fenced example, or indented, it is lesson text.
    @Test func onlyAtTheStartOfAProseLine() throws {
        let lab = try LabParser.parse(Self.lab(step2: "```console\nrequires: [nothing]\n```\n  requires: [nothing]"), file: Self.file)
        #expect(lab.steps[1].requires.isEmpty)
    }

    /// The lab's transcript has a variant per answer of the kernel; a lab without step
    /// requirements keeps its name.
    @Test func transcriptName() throws {
        let lab = try LabParser.parse(Self.lab(step2: "requires: [ipvlan]"), file: Self.file)
        let name = lab.transcriptName(takingHostBlocks: false)
        #expect(name == "12-macvlan-ipvlan.ipvlan" || name == "12-macvlan-ipvlan.no-ipvlan")
        #expect(name.hasSuffix(KernelFeature.ipvlan.isPresent ? ".ipvlan" : ".no-ipvlan"))
        #expect(try LabParser.parse(Self.lab(step2: ""), file: Self.file).transcriptName(takingHostBlocks: false) == "12-macvlan-ipvlan")
    }
}
