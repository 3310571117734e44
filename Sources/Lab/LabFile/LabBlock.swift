/// The fenced-block info strings that carry machine-readable parts of a step. Any other
/// info string (`console`, `text`, none) marks an example that is part of the lesson text.
public enum BlockKind: String, Sendable, CaseIterable {
    /// Commands BoxLab performs itself with system calls.
    case run
    /// Assertions on kernel state after the step.
    case expect
    /// Shown on request, one per request.
    case hint
    /// An external program, run by /bin/sh and labelled as such.
    case sh
    /// Presenter notes, shown in instructor mode only.
    case note
}

/// One machine block of a step.
public struct Block: Sendable, Equatable {
    public var kind: BlockKind
    /// For `run` and `expect`: one entry per command or expectation, with `\`
    /// continuations joined and blank and `#` comment lines dropped. For the other kinds:
    /// every line of the body as written.
    public var lines: [SourceLine]
    /// The opening fence.
    public var location: SourceLocation
    /// The body exactly as written, lines joined with "\n".
    public var text: String
    /// `run cgroup-v2`, `run sandbox`: the block is for machines or places of that kind only.
    public var condition: BlockCondition?

    public init(kind: BlockKind, lines: [SourceLine], location: SourceLocation, text: String, condition: BlockCondition? = nil) {
        self.kind = kind
        self.lines = lines
        self.location = location
        self.text = text
        self.condition = condition
    }
}

/// The word after a block's kind that limits it to some machines: a lab teaches on whichever
/// cgroup version the machine uses for its controllers, and names the other's files in prose;
/// and where root in BoxLab's sandbox cannot do what host root does (device nodes, trusted.*
/// attributes), it teaches the unprivileged form there, as rootless container runtimes do.
public enum BlockCondition: String, Sendable, CaseIterable {
    case cgroupV1 = "cgroup-v1"
    case cgroupV2 = "cgroup-v2"
    /// Inside BoxLab's sandbox, a user namespace whose root is not the host's.
    case sandbox
    /// Root is the host's root: `--host`, or the test harness's trusted sandbox.
    case host

    /// A kind of machine (the lab's transcript depends on it), not a kind of sandbox.
    var isMachineKind: Bool { self == .cgroupV1 || self == .cgroupV2 }
}
