/// The outcome of one expectation, phrased for the learner.
public struct CheckResult: Sendable, Equatable, Codable {
    public var passed: Bool
    /// What holds when it passes: `merged is an overlay mount (lowerdir=lower, upperdir=upper)`.
    public var summary: String
    /// What was there instead, when it failed.
    public var found: String?
    /// The likely cause, when BoxLab can tell.
    public var cause: String?
    /// file:line of the expectation.
    public var location: String?
    /// The path rule the expectation broke (`PathPolicy`): it was not evaluated.
    public var refusal: String?

    public init(passed: Bool, summary: String, found: String? = nil, cause: String? = nil, location: String? = nil) {
        self.passed = passed
        self.summary = summary
        self.found = found
        self.cause = cause
        self.location = location
    }
}
