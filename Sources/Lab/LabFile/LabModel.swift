/// A parsed lab file (labs/NN-name.md).
public struct Lab: Sendable, Equatable {
    /// The file name without `.md`, e.g. `02-overlayfs`.
    public var id: String
    public var title: String
    public var summary: String
    /// What the machine must offer (`root`, `overlay`, …); the engine decides what each means.
    public var requires: [String]
    /// The estimated time, when the author gave one.
    public var minutes: Int?
    /// The path the lab was read from, as given; error locations use it.
    public var file: String
    /// The prose between the front matter and the first step.
    public var introduction: String
    public var steps: [Step]

    public init(
        id: String, title: String, summary: String, requires: [String], minutes: Int?,
        file: String, introduction: String, steps: [Step]
    ) {
        self.id = id
        self.title = title
        self.summary = summary
        self.requires = requires
        self.minutes = minutes
        self.file = file
        self.introduction = introduction
        self.steps = steps
    }
}
