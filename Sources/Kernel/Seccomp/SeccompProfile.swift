/// Which system calls a seccomp filter treats how: a default action and, before it, rules
/// naming calls. A call named by two rules takes the first, as the filter compares in order.
public struct SeccompProfile: Sendable, Equatable {
    public struct Rule: Sendable, Equatable {
        public var action: SeccompAction
        public var calls: [SystemCall]

        public init(_ action: SeccompAction, _ calls: [SystemCall]) {
            self.action = action
            self.calls = calls
        }
    }

    public var defaultAction: SeccompAction
    public var rules: [Rule]

    public init(defaultAction: SeccompAction, rules: [Rule]) {
        self.defaultAction = defaultAction
        self.rules = rules
    }
}
