import FoundationEssentials

/// One `## Step N: Title` section of a lab.
public struct Step: Sendable, Equatable {
    public var number: Int
    public var title: String
    /// The step heading.
    public var location: SourceLocation
    /// The Markdown shown to the learner: the section without its machine blocks.
    public var prose: String
    /// The machine blocks in file order.
    public var blocks: [Block]
    /// `requires: [ipvlan]`, a line of the step's text: the kernel features (`KernelFeature`) the step
    /// needs. Later steps must not need what it makes, since it is skipped where one is missing.
    public var requires: [String]
    /// Why this machine skips the step (set when the lab is taken here): it then has no blocks.
    public var skipped: String?

    public init(number: Int, title: String, location: SourceLocation, prose: String, blocks: [Block], requires: [String] = []) {
        self.number = number
        self.title = title
        self.location = location
        self.prose = prose
        self.blocks = blocks
        self.requires = requires
    }

    /// What the step performs: its `run` and `sh` blocks in file order, because a step
    /// may interleave BoxLab commands with external programs.
    public var actions: [Block] { blocks.filter { $0.kind == .run || $0.kind == .sh } }

    /// Every expectation of every `expect` block, in order.
    public var expectations: [SourceLine] { blocks.filter { $0.kind == .expect }.flatMap(\.lines) }

    /// One entry per `hint` block, so hints can be revealed one request at a time;
    /// blank lines around the text are layout and are dropped.
    public var hints: [String] { texts(of: .hint) }

    /// One entry per `note` block.
    public var notes: [String] { texts(of: .note) }

    private func texts(of kind: BlockKind) -> [String] {
        blocks.filter { $0.kind == kind }.map { $0.text.trimmingWhitespaceAndNewlines() }
    }

    /// The step as this machine takes it: blocks for another kind of machine dropped.
    func keeping(_ holds: (BlockCondition) -> Bool) -> Step {
        var step = self
        step.blocks = blocks.filter { $0.condition.map(holds) ?? true }
        return step
    }
}
