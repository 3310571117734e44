/// What happened in one step, for `--json` and for the session's bookkeeping.
public struct StepReport: Sendable, Codable {
    public var step: Int
    public var title: String
    /// The first command that failed, with its file:line, if one did.
    public var error: String?
    public var changes: [String]
    public var checks: [CheckResult]
    public var interrupted: Bool = false
    /// Why this machine skipped the step (`requires:` a kernel feature it lacks).
    public var skipped: String?

    public var passed: Bool { error == nil && !interrupted && checks.allSatisfy(\.passed) }
}
