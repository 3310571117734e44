/// Repeated measurements of one thing, in the unit they were taken in.
struct Samples {
    private(set) var values: [Double] = []

    mutating func add(_ value: Double) { values.append(value) }

    var count: Int { values.count }
    var median: Double { quantile(0.5) }
    var p90: Double { quantile(0.9) }
    var max: Double { values.max() ?? .nan }

    /// The nearest-rank quantile (no interpolation between samples).
    func quantile(_ q: Double) -> Double {
        guard !values.isEmpty else { return .nan }
        let sorted = values.sorted()
        let rank = Int((q * Double(sorted.count)).rounded(.up)) - 1
        return sorted[Swift.max(0, Swift.min(sorted.count - 1, rank))]
    }
}
