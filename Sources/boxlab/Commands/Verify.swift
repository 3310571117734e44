import ArgumentParser
import Lab

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "For lab authors: prove every expectation fails before its step and passes after it."
    )

    @Argument(help: "The lab, or a path to a lab file.") var lab: String
    @Flag(help: "Work on the real host instead of a sandbox.") var host = false
    @Flag(help: .trust) var trust = false

    func run() throws {
        try requireRoot()
        let lab = try loadLab(self.lab)
        let isolation = try enter(host ? .host : .newPrivate)
        let batch = try Batch(lab: lab, isolation: isolation, trust: trust, console: Console.silent())
        let (found, standing) = Verifier(session: batch.session).verify()
        var problems = found
        if isolation == .host { batch.cleanUp() }
        if problems.isEmpty, let standing {
            do { try standing.save(for: lab) } catch { problems.append("cannot keep the standing set in \(StateDirectory.default.path): \(error)") }
        }
        for problem in problems { print("✗ " + problem) }
        guard problems.isEmpty else { throw ExitCode(1) }
        let count = lab.steps.reduce(0) { $0 + $1.expectations.count }
        print("✓ \(lab.id): all \(count) expectations fail before their step and pass after it")
        if let standing { print("✓ \(lab.id): \(standing.retirements.count) of them retired by a later step on purpose (`boxlab standing \(self.lab)` lists them); the rest stand") }
    }
}
