/// Runs several measurements in rounds, one of each a round (A, B, C, A, B, C, …), starting
/// each round one variant further along, so that none always runs first or always after the
/// same neighbour: on a noisy two-core machine, drift in the machine's state then spreads
/// evenly over all of them instead of biasing one.
struct Interleaved {
    struct Variant {
        let name: String
        let measure: () throws -> Double
    }

    let variants: [Variant]

    /// One warm-up run of each (not recorded: page cache, dynamic loader), then `rounds`
    /// rounds. A variant that throws is dropped from later rounds and its error kept.
    func run(rounds: Int) -> [String: Result<Samples, BenchError>] {
        var samples = [String: Samples]()
        var errors = [String: BenchError]()
        for variant in variants {
            do { _ = try variant.measure() } catch { errors[variant.name] = BenchError(error) }
        }
        for round in 0..<rounds {
            for offset in 0..<variants.count {
                let variant = variants[(round + offset) % variants.count]
                guard errors[variant.name] == nil else { continue }
                do { samples[variant.name, default: Samples()].add(try variant.measure()) } catch {
                    errors[variant.name] = BenchError(error)
                }
            }
        }
        var results = [String: Result<Samples, BenchError>]()
        for variant in variants {
            results[variant.name] = errors[variant.name].map { .failure($0) } ?? .success(samples[variant.name] ?? Samples())
        }
        return results
    }
}
