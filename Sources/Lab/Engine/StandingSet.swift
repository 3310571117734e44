import FoundationEssentials
import Image

/// Which earlier expectations still hold at each step: a fact about the lab, derived from its
/// own solution. In the reference run (`boxlab standing`, `boxlab verify`) every earlier
/// expectation is evaluated again after each step; one that the step makes false (step 3
/// renames the veth end step 2 checked) is retired from that step on. The rest stand: a
/// learner whose state breaks one has undone the step it belongs to.
///
/// Nothing of it is written by hand or stored with the lab: it is cached in the state
/// directory under a fingerprint of what the run performs and checks on this machine and in
/// this place, so an edited lab, another cgroup version or `--host` gets a run of its own.
public struct StandingSet: Codable, Sendable, Equatable {
    /// An expectation: its step, and its index among that step's expectations (not its line,
    /// which moves when the prose above it is edited).
    public struct Key: Codable, Sendable, Hashable, Comparable {
        public var step: Int
        public var index: Int

        public static func < (a: Key, b: Key) -> Bool { (a.step, a.index) < (b.step, b.index) }
    }

    /// The step whose reference run made an earlier expectation false.
    public struct Retirement: Codable, Sendable, Equatable {
        public var at: Int
        public var expectation: Key
    }

    public var lab: String
    public var fingerprint: String
    public var retirements: [Retirement]

    /// The expectations of steps before `number` that still stand there, by step.
    public func standing(before number: Int, in lab: Lab) -> [(Step, [SourceLine])] {
        let retired = Set(retirements.filter { $0.at <= number }.map(\.expectation))
        return lab.steps.filter { $0.number < number }.compactMap { step in
            let lines = step.expectations.enumerated().filter { !retired.contains(Key(step: step.number, index: $0.offset)) }.map(\.element)
            return lines.isEmpty ? nil : (step, lines)
        }
    }

    /// What differs from `other`, one line per retirement only one of them makes.
    public func differences(from other: StandingSet, in lab: Lab) -> [String] {
        func describe(_ retirement: Retirement) -> String {
            let line = lab.steps.first { $0.number == retirement.expectation.step }?.expectations[safe: retirement.expectation.index]
            return "step \(retirement.at) retires step \(retirement.expectation.step)'s `\(line?.text ?? "?")`" + (line.map { " (\($0.location))" } ?? "")
        }
        let mine = retirements.filter { !other.retirements.contains($0) }.map { describe($0) + " in this run only" }
        let theirs = other.retirements.filter { !retirements.contains($0) }.map { describe($0) + " in the cached run only" }
        return mine + theirs
    }

    // MARK: Where it is kept

    /// What the reference run performs and checks, as this machine and place take the lab
    /// (conditioned blocks already chosen): a run with the same fingerprint retires the same
    /// expectations. Prose is left out; it changes nothing the kernel sees.
    public static func fingerprint(of lab: Lab) -> String {
        var text = "boxlab standing set 1\n\(lab.id)\nrequires \(lab.requires.joined(separator: ","))\n"
        text += "machine \(BlockCondition.here?.rawValue ?? "unknown") place \(BlockCondition.place.rawValue)\n"
        for step in lab.steps {
            text += "## \(step.number)\n"
            for block in step.blocks where block.kind == .run || block.kind == .sh || block.kind == .expect {
                text += "```\(block.kind.rawValue)\n" + block.lines.map(\.text).joined(separator: "\n") + (block.kind == .sh ? block.text : "") + "\n```\n"
            }
        }
        return Digest(of: Array(text.utf8)).hex
    }

    static func path(for lab: Lab, fingerprint: String, in state: StateDirectory) -> String {
        state.path + "/standing/\(lab.id).\(fingerprint.prefix(16)).json"
    }

    /// The set cached for this lab as it is taken here, or nil when no reference run made one
    /// (or the file is not one: it is then made again).
    public static func cached(for lab: Lab, in state: StateDirectory = .default) -> StandingSet? {
        let fingerprint = fingerprint(of: lab)
        guard let data = FileManager.default.contents(atPath: path(for: lab, fingerprint: fingerprint, in: state)),
              let set = try? JSONDecoder().decode(StandingSet.self, from: data),
              set.lab == lab.id, set.fingerprint == fingerprint, set.fits(lab) else { return nil }
        return set
    }

    /// Every retirement names an expectation of an earlier step that exists.
    func fits(_ lab: Lab) -> Bool {
        retirements.allSatisfy { retirement in
            retirement.expectation.step < retirement.at
                && lab.steps.contains { $0.number == retirement.at }
                && (lab.steps.first { $0.number == retirement.expectation.step }.map { $0.expectations.indices.contains(retirement.expectation.index) } ?? false)
        }
    }

    /// Written whole to a temporary file and renamed, so a reader never sees half of one.
    public func save(in state: StateDirectory = .default, for lab: Lab) throws {
        let path = StandingSet.path(for: lab, fingerprint: fingerprint, in: state)
        try FileManager.default.createDirectory(atPath: state.path + "/standing", withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(self).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}

/// Builds a `StandingSet` during a reference run: call `record(after:)` once each step has
/// been performed and passed.
public struct StandingSetBuilder {
    private let session: Session
    private var retirements: [StandingSet.Retirement] = []

    public init(session: Session) { self.session = session }

    /// Evaluates every earlier expectation still standing; those `step` made false retire.
    public mutating func record(after step: Step) {
        let current = StandingSet(lab: session.lab.id, fingerprint: "", retirements: retirements)
        for (earlier, lines) in current.standing(before: step.number, in: session.lab) {
            for (line, result) in zip(lines, session.evaluate(lines)) where !result.passed {
                guard let index = earlier.expectations.firstIndex(of: line) else { continue }
                retirements.append(.init(at: step.number, expectation: .init(step: earlier.number, index: index)))
            }
        }
    }

    public var set: StandingSet {
        StandingSet(lab: session.lab.id, fingerprint: StandingSet.fingerprint(of: session.lab), retirements: retirements)
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
