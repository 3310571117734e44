import Kernel

/// The cgroup form of the expectation language (see `Expectation`).
enum CgroupExpectationParser {
    static func parse(_ words: [String]) throws(ExpectationError) -> Expectation {
        let form = ExpectationParser.forms.first { $0.hasPrefix("cgroup ") }
        func fail(_ message: String) -> ExpectationError { ExpectationError(message: message, form: form) }
        guard let group = words.first else { throw fail("cgroup needs a group, relative to the lab's cgroup root") }
        guard !group.hasPrefix("/"), !group.split(separator: "/").contains("..") else {
            throw fail("'\(group)' leaves the lab's cgroup root: a group is a path below it, without '..'")
        }
        let rest = Array(words.dropFirst())
        func expectation(_ property: CgroupExpectation.Property?) -> Expectation {
            .cgroup(CgroupExpectation(group: group, property: property))
        }
        switch rest.count {
        case 0: return expectation(nil)
        case 1 where rest[0] == "frozen" || rest[0] == "thawed": return expectation(.frozen(rest[0] == "frozen"))
        case 2 where rest[0] == "has": return expectation(.member(rest[1]))
        case 3 where ["memory", "pids", "cpu"].contains(rest[0]):
            guard rest[1] == "==" else { throw fail("a limit is compared with ==, not \(rest[1])") }
            do throws(CgroupSizeError) {
                switch rest[0] {
                case "memory": return expectation(.memory(try CgroupLimit(size: rest[2])))
                case "pids": return expectation(.pids(try CgroupLimit(count: rest[2])))
                default: return expectation(.cpu(try cpu(rest[2])))
                }
            } catch {
                throw fail(error.description)
            }
        case 4:
            guard let comparison = CgroupExpectation.Comparison(rawValue: rest[2]) else {
                throw fail("'\(rest[2])' is not a comparison: ==, !=, >=, >, <= or <")
            }
            guard let value = UInt64(rest[3]) else { throw fail("'\(rest[3])' is not a count") }
            guard CgroupFileNames.controller(of: rest[0]) != nil else {
                throw fail("'\(rest[0])' is not a controller's file: memory.events, pids.events, cpu.stat…")
            }
            return expectation(.counter(file: rest[0], key: rest[1], comparison: comparison, value: value))
        default:
            throw fail("after the group, expected memory|pids|cpu == LIMIT, frozen, thawed, has PROC, or FILE KEY OP N")
        }
    }

    /// `10000/100000` (quota/period in µs), `max/100000`, or `max` (period 100000).
    private static func cpu(_ text: String) throws(CgroupSizeError) -> CPULimit {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count <= 2, let quota = try? CgroupLimit(count: parts[0]),
              let period = parts.count == 2 ? UInt64(parts[1]) : 100_000 else {
            throw CgroupSizeError(text: text, isCount: true)
        }
        return CPULimit(quota: quota, period: period)
    }
}
