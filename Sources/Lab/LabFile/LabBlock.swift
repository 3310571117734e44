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

    public init(kind: BlockKind, lines: [SourceLine], location: SourceLocation, text: String) {
        self.kind = kind
        self.lines = lines
        self.location = location
        self.text = text
    }
}
