import LabFuzz

/// Runs several measurements in rounds, one of each a round, each round in a new order
/// (a shuffle from a fixed seed, so runs repeat), so that none always runs first or always
/// after the same neighbour: on a noisy two-core machine, drift in the machine's state then
/// spreads evenly over all of them instead of biasing one. The neighbour matters: a cgroup v1
/// move right after another one is cheap, one after a pause waits for an RCU grace period,
/// and rotating a fixed order would give every variant the same predecessor every round.
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
        var generator = SeededRandom(seed: 0x626f_786c_6162)
        for _ in 0..<rounds {
            for variant in variants.shuffled(using: &generator) {
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
