extension NFTRule {
    /// The rule as a learner reads it, statement by statement (`[payload ip saddr &
    /// 255.255.0.0 == 172.17.0.0] [meta oifname != "docker0"] [counter] [masq]`), counters
    /// without their counts: what the state diff and transcripts show, which traffic must not
    /// change.
    public var statements: [String] {
        NFTExpression.statements(expressions.map { if case .counter = $0 { .counter() } else { $0 } }, family: family)
    }
}
