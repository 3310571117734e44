import Kernel

/// `cgroup GROUP [memory|pids|cpu == LIMIT | frozen | thawed | has PROC | FILE KEY OP N]`; GROUP is
/// relative to the lab's cgroup root (`.` for the root itself).
public struct CgroupExpectation: Sendable, Equatable {
    public var group: String
    /// nil: the group exists.
    public var property: Property?

    public enum Property: Sendable, Equatable {
        case memory(CgroupLimit)
        case pids(CgroupLimit)
        case cpu(CPULimit)
        case frozen(Bool)
        /// The process (`$NAME`, a pid) is in the group, in some hierarchy of the lab's.
        case member(String)
        /// A counter by the kernel's names: `memory.events oom_kill >= 1`.
        case counter(file: String, key: String, comparison: Comparison, value: UInt64)
    }

    public enum Comparison: String, Sendable, CaseIterable {
        case equal = "==", notEqual = "!=", atLeast = ">=", above = ">", atMost = "<=", below = "<"

        func holds(_ found: UInt64, _ wanted: UInt64) -> Bool {
            switch self {
            case .equal: found == wanted
            case .notEqual: found != wanted
            case .atLeast: found >= wanted
            case .above: found > wanted
            case .atMost: found <= wanted
            case .below: found < wanted
            }
        }
    }

    /// What about the group is checked, so that a later step's check of it supersedes an earlier one.
    var aspect: String {
        switch property {
        case nil: "exists"
        case .memory: "memory"
        case .pids: "pids"
        case .cpu: "cpu"
        case .frozen: "freezer"
        case .member(let process): "has \(process)"
        case .counter(let file, let key, _, _): "\(file) \(key)"
        }
    }

    public init(group: String, property: Property? = nil) {
        self.group = group
        self.property = property
    }
}
