/// `boxlab verify`: proves a lab's expectations mean something. Before each step every one of
/// its expectations must fail (the step is what makes it true), except `still` ones, which
/// must already hold; after the step all must pass. Lab authors run it; the test suite runs
/// it for every lab. It is also a reference run: it works out which earlier expectations each
/// step leaves standing (`StandingSet`), and fails when a reference run made before for the
/// same lab, machine and place found otherwise (an expectation that depends on timing).
public struct Verifier {
    public let session: Session

    public init(session: Session) { self.session = session }

    /// One line per problem (empty when the lab is sound), and the standing set the run found
    /// (nil when a step failed).
    public func verify() -> (problems: [String], standing: StandingSet?) {
        var problems: [String] = []
        var builder = StandingSetBuilder(session: session)
        for step in session.lab.steps {
            if session.showSkipped(step) { continue }
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
                return (problems, nil)
            }
            for result in report.checks where !result.passed {
                problems.append("\(result.location ?? "step \(step.number)"): does not hold after step \(step.number): \(result.summary)")
            }
            builder.record(after: step)
        }
        let standing = builder.set
        if let cached = StandingSet.cached(for: session.lab) {
            for difference in standing.differences(from: cached, in: session.lab) {
                problems.append("standing set: \(difference): two reference runs of the same lab disagree (does an expectation depend on timing?)")
            }
        }
        return (problems, standing)
    }
}
