import FoundationEssentials

/// Everything after the front matter: the introduction, then one section per step.
struct LabBody {
    var introduction = Prose()
    var steps: [Step] = []
    private var current: (heading: StepHeading, line: Int, prose: Prose, blocks: [Block], requires: [String]?)?
    private let file: String

    /// Fence languages that are a small edit away from a block kind yet are real
    /// languages, so an example in them must stay an example and not be taken for a typo.
    private static let languagesNearBlockKinds: Set = [
        "ash", "csh", "ksh", "zsh", "h", "hs", "s", "sv", "ini", "dot", "nft", "node", "none", "zone",
    ]

    static func parse(_ lines: ArraySlice<NumberedLine>, file: String) throws(LabFileError) -> LabBody {
        var body = LabBody(file: file)
        var index = lines.startIndex
        while index < lines.endIndex {
            let line = lines[index]
            if let fence = Fence(opening: line.text) {
                guard let closing = lines[(index + 1)...].firstIndex(where: { fence.isClosed(by: $0.text) }) else {
                    throw LabFileError(file, line.number, "unterminated \(fence.marker)\(fence.info) block: close it with a \(fence.marker) line")
                }
                try body.addFenced(fence, lines: lines[index...closing])
                index = closing + 1
                continue
            }
            if let heading = try StepHeading.parse(line, expected: body.nextStepNumber, file: file) {
                try body.finishStep()
                body.current = (heading, line.number, Prose(), [], nil)
            } else if body.current != nil, line.text.hasPrefix("requires:") {
                try body.addRequirements(line)
            } else {
                body.appendProse(line.text)
            }
            index += 1
        }
        try body.finishStep()
        guard !body.steps.isEmpty else {
            throw LabFileError(file, lines.last?.number ?? 1, "no steps: add a '## Step 1: Title' section with a ```run, ```sh or ```expect block")
        }
        return body
    }

    private init(file: String) {
        self.file = file
    }

    /// The step being read joins `steps` only when it ends, so it is counted here.
    private var nextStepNumber: Int { steps.count + (current == nil ? 1 : 2) }

    /// A fenced block from its opening to its closing fence.
    private mutating func addFenced(_ fence: Fence, lines: ArraySlice<NumberedLine>) throws(LabFileError) {
        let opening = lines.first!.number
        let word = fence.kindWord
        guard let kind = BlockKind(rawValue: word) else {
            if let intended = Self.blockKind(nearlySpelled: word) {
                throw LabFileError(file, opening, "unknown block kind '\(word)': did you mean '\(intended.rawValue)'?")
            }
            for line in lines { appendProse(line.text, verbatim: true) }
            return
        }
        let extra = fence.info.dropFirst(word.count).trimmingWhitespace()
        let condition = BlockCondition(rawValue: extra)
        guard extra.isEmpty || condition != nil else {
            let conditions = BlockCondition.allCases.map { "\(fence.marker)\(word) \($0.rawValue)" }.joined(separator: " or ")
            throw LabFileError(file, opening, "unexpected '\(extra)' after \(fence.marker)\(word): the fence line of a \(word) block is just \(fence.marker)\(word), or \(conditions) for one kind of machine or place")
        }
        guard current != nil else {
            throw LabFileError(file, opening, "\(fence.marker)\(word) block before the first step: put it under a '## Step 1: Title' heading, or use \(fence.marker)console for an example")
        }
        let body = lines.dropFirst().dropLast().map { NumberedLine(text: fence.removingIndent(from: $0.text), number: $0.number) }
        var block = try Block(kind: kind, fence: fence, openedAt: opening, body: body, file: file)
        block.condition = condition
        current?.blocks.append(block)
    }

    /// `requires: [ipvlan]` in a step, written as the front matter's `requires:` is.
    private mutating func addRequirements(_ line: NumberedLine) throws(LabFileError) {
        guard let step = current else { return }
        guard step.requires == nil else {
            throw LabFileError(file, line.number, "step \(step.heading.number) has two 'requires:' lines: list everything it needs in one, 'requires: [a, b]'")
        }
        let value = line.text.dropFirst("requires:".count).trimmingWhitespace()
        guard !value.isEmpty else {
            throw LabFileError(file, line.number, "'requires:' names what the step needs from the kernel: write 'requires: [\(KernelFeature.allCases.map(\.rawValue).joined(separator: ", "))]'")
        }
        current?.requires = try FrontMatter.requirements(value, known: KernelFeature.allCases.map(\.rawValue), line: line.number, file: file)
    }

    /// A kind the author probably meant: one edit away from a short kind (more would
    /// reach real languages such as `go` or `rb`), two from a longer one.
    private static func blockKind(nearlySpelled word: String) -> BlockKind? {
        let lowered = word.lowercased()
        guard !languagesNearBlockKinds.contains(lowered) else { return nil }
        return BlockKind.allCases
            .map { (kind: $0, distance: editDistance(lowered, $0.rawValue)) }
            .filter { $0.distance <= ($0.kind.rawValue.count <= 3 ? 1 : 2) }
            .min { $0.distance < $1.distance }?.kind
    }

    private mutating func appendProse(_ text: String, verbatim: Bool = false) {
        if current == nil {
            verbatim ? introduction.appendVerbatim(text) : introduction.append(text)
        } else if verbatim {
            current?.prose.appendVerbatim(text)
        } else {
            current?.prose.append(text)
        }
    }

    private mutating func finishStep() throws(LabFileError) {
        guard let (heading, line, prose, blocks, requires) = current else { return }
        guard blocks.contains(where: { $0.kind == .run || $0.kind == .sh || $0.kind == .expect }) else {
            throw LabFileError(file, line, "step \(heading.number) has nothing to do or check: add a ```run, ```sh or ```expect block")
        }
        let location = SourceLocation(file: file, line: line)
        steps.append(Step(number: heading.number, title: heading.title, location: location, prose: prose.text, blocks: blocks, requires: requires ?? []))
        current = nil
    }
}
