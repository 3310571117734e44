import Foundation
import Lab

/// A run directory and a state directory of the benchmark's own, for the boxlab processes
/// it starts, so that they never meet the learner's session or each other's leftovers.
struct Place {
    let base: String
    var run: String { base + "/run" }
    var state: String { base + "/state" }

    /// The environment of a fresh shell, pointed at this place: in particular not marked as
    /// inside a BoxLab sandbox, so that each boxlab started makes its own, as a learner's would.
    func environment(labs: String) -> [String] {
        var environment = ProcessInfo.processInfo.environment
        environment["BOXLAB_SANDBOX_NS"] = nil
        environment["BOXLAB_SANDBOX"] = nil
        environment[RunDirectory.ownerVariable] = nil
        environment["BOXLAB_RUN_DIR"] = run
        environment["BOXLAB_STATE_DIR"] = state
        environment["BOXLAB_LABS"] = labs
        environment["NO_COLOR"] = "1"
        environment["TERM"] = "dumb"
        return environment.map { "\($0.key)=\($0.value)" }.sorted()
    }
}
