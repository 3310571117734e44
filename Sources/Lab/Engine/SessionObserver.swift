/// Something that follows a session as the learner does: the live view in the browser. It
/// hears of each step shown and of each step, line or check that ended, on the session's
/// thread; what the console showed meanwhile reaches it through `Console.tap`.
public protocol SessionObserver: AnyObject, Sendable {
    /// `step` is now the learner's, about to be performed or done by hand.
    func showing(_ step: Step, in session: Session)
    /// A step (`report` set), a typed line or a check (`what` says which) has ended; the
    /// kernel is as it left it.
    func ended(_ what: String, report: StepReport?, in session: Session)
}
