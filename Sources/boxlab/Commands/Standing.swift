import ArgumentParser
import Lab

struct Standing: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Work out which earlier expectations each step leaves standing, from the lab's reference run.",
        discussion: """
        Performs every step in a throwaway sandbox (like `run`) and after each one evaluates \
        every earlier expectation again: one the step makes false is retired from that step \
        on; exercise mode and `check` re-check the rest. The result is kept in the state \
        directory under a fingerprint of what the lab performs and checks on this machine, \
        so it is made again only when the lab changes. The REPL in exercise mode and \
        `check` make it themselves when it is missing.
        """
    )

    @Argument(help: "The lab, or a path to a lab file.") var lab: String
    @Flag(help: "Work on the real host instead of a sandbox.") var host = false
    @Flag(help: .trust) var trust = false
    @Flag(help: "Do nothing when a reference run of this lab is already kept; print nothing on standard output.") var ifMissing = false

    func run() throws {
        try requireRoot()
        let lab = try loadLab(self.lab)
        let isolation = try enter(host ? .host : .newPrivate)
        if ifMissing, StandingSet.cached(for: lab) != nil { return }
        if ifMissing { printError("working out which earlier expectations each step of \(lab.id) leaves standing: a reference run in a throwaway sandbox, once per version of the lab…") }
        let batch = try Batch(lab: lab, isolation: isolation, trust: trust, console: Console.silent())
        let (standing, broken) = batch.reference()
        if isolation == .host { batch.cleanUp() }
        guard let standing else {
            let why = broken?.error ?? broken?.checks.first { !$0.passed }.map { "\($0.location ?? "?"): \($0.summary)" } ?? "interrupted"
            throw failure("the reference run of \(lab.id) failed at step \(broken?.step ?? 0): \(why)", code: 1)
        }
        do { try standing.save(for: lab) } catch {
            throw failure("cannot keep the standing set in \(StateDirectory.default.path): \(error)", code: 1)
        }
        if ifMissing { return }
        for retirement in standing.retirements {
            let line = lab.steps.first { $0.number == retirement.expectation.step }?.expectations[retirement.expectation.index]
            print("step \(retirement.at) retires step \(retirement.expectation.step)'s `\(line?.text ?? "?")`\(line.map { " (\($0.location))" } ?? "")")
        }
        let total = lab.steps.reduce(0) { $0 + $1.expectations.count }
        print("✓ \(lab.id): \(standing.retirements.count) of \(total) expectations retired by a later step; the others stand to the end")
    }
}
