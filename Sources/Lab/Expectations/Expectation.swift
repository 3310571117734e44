/// One assertion about kernel state, from a line of an `expect` block.
///
/// The language (docs/expectations.md):
///
///     mount PATH [fstype=T] [propagation=P] [ro|rw] [OPTION=VALUE...]
///     file PATH [== "TEXT" | contains "TEXT"]
///     dir PATH [has NAME...]
///     absent PATH
///     whiteout PATH
///     opaque PATH
///     same PATH PATH
///     not EXPECTATION
///     still EXPECTATION     (holds before the step too: the step must not break it)
///
/// Paths are relative to the lab's workspace.
public indirect enum Expectation: Sendable, Equatable {
    case mount(path: String, fstype: String?, propagation: String?, readOnly: Bool?, options: [(key: String, value: String)])
    case file(path: String, content: ContentRule?)
    case directory(path: String, entries: [String])
    case absent(path: String)
    case whiteout(path: String)
    case opaque(path: String)
    case sameFile(String, String)
    case not(Expectation)
    /// Holds before the step and must still hold after it ("lower is unchanged").
    case still(Expectation)

    public enum ContentRule: Sendable, Equatable {
        case equals(String)
        case contains(String)
    }

    /// The path the expectation is about; a later step that checks the same path supersedes
    /// an earlier step's expectation when earlier steps are re-checked.
    public var subject: String {
        switch self {
        case .mount(let path, _, _, _, _), .file(let path, _), .directory(let path, _), .absent(let path),
             .whiteout(let path), .opaque(let path), .sameFile(let path, _):
            path
        case .not(let inner), .still(let inner): inner.subject
        }
    }

    /// Whether the step is what makes it true (so it must fail before the step).
    public var changesWithStep: Bool {
        if case .still = self { return false }
        return true
    }

    public static func == (lhs: Expectation, rhs: Expectation) -> Bool {
        String(describing: lhs) == String(describing: rhs)
    }
}
