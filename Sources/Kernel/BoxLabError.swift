/// Something BoxLab found wrong itself, with no system call failing: a process that ended
/// before its setup was done, a mount that would not go, etcd saying nothing in time. It says what happened in a sentence and carries no errno, since the kernel returned
/// none: a learner must never see a kernel error the kernel did not give.
public struct BoxLabError: Error, Sendable, Equatable, CustomStringConvertible {
    public let sentence: String

    public init(_ sentence: String) {
        self.sentence = sentence
    }

    public var description: String { sentence }
}
