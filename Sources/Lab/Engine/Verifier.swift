/// `boxlab verify`: proves a lab's expectations mean something. Before each step every one of
/// its expectations must fail (the step is what makes it true), except `still` ones, which
/// must already hold; after the step all must pass. Lab authors run it; the test suite runs
/// it for every lab.
public struct Verifier {
    public let session: Session

    public init(session: Session) { self.session = session }

    /// Returns one line per problem; empty when the lab is sound.
    public func verify() -> [String] {
        var problems: [String] = []
        for step in session.lab.steps {
            for (line, result) in zip(step.expectations, session.evaluate(step.expectations)) {
                let changes = (try? session.expectation(line).get())?.changesWithStep ?? true
                if changes && result.passed {
                    problems.append("\(line.location): already holds before step \(step.number): \(line.text)")
                } else if !changes && !result.passed {
                    problems.append("\(line.location): a `still` expectation does not hold before step \(step.number): \(line.text)")
                }
            }
            if !step.expectations.contains(where: { (try? session.expectation($0).get())?.changesWithStep ?? true }) {
                problems.append("\(step.location): step \(step.number) checks nothing that the step itself changes")
            }
            let report = session.perform(step)
            if let error = report.error {
                problems.append("step \(step.number) failed: \(error)")
                break
            }
            for result in report.checks where !result.passed {
                problems.append("\(result.location ?? "step \(step.number)"): does not hold after step \(step.number): \(result.summary)")
            }
        }
        return problems
    }
}
