import Kernel

/// `seccomp PROC mode …` and `denied CALL in PROC` (`SeccompExpectation`).
extension Evaluator {
    func checkSeccomp(_ want: SeccompExpectation) -> CheckResult {
        switch want {
        case let .mode(process, mode, filters):
            let summary = "\(process) runs in seccomp mode \(mode)" + (filters.map { " with \($0) filter\($0 == 1 ? "" : "s")" } ?? "")
            let pid: Int32
            switch running(process) {
            case .success(let found): pid = found
            case .failure(let failure): return CheckResult(passed: false, summary: summary, found: failure.found, cause: failure.cause)
            }
            let (found, count) = Self.seccompStatus(of: pid)
            let passed = found == mode && (filters == nil || filters == count)
            return CheckResult(passed: passed, summary: summary, found: passed ? nil : "Seccomp: \(found)\(found == 0 ? " (none)" : found == 1 ? " (strict)" : found == 2 ? " (filter)" : ""), Seccomp_filters: \(count)",
                               cause: passed ? nil : "a filter is loaded before exec (seccomp load PROFILE), and every filter of a parent is its children's too")
        case let .verdict(call, process, verdict):
            let summary = "\(call.name) is \(verdict == .allowed ? "allowed" : "denied") in \(process)" + verdict.suffix
            func fail(_ found: String, _ cause: String? = nil) -> CheckResult { CheckResult(passed: false, summary: summary, found: found, cause: cause) }
            let pid: Int32
            switch running(process) {
            case .success(let found): pid = found
            case .failure(let failure): return fail(failure.found, failure.cause)
            }
            let loaded = loadedFilters(for: pid)
            let (_, count) = Self.seccompStatus(of: pid)
            guard count == loaded.count else {
                return fail("\(process) has \(count) filter\(count == 1 ? "" : "s") and BoxLab loaded \(loaded.count) of them",
                            "BoxLab judges only filters it loaded itself (seccomp load): the kernel shows a filter only to the host's CAP_SYS_ADMIN")
            }
            let action = SeccompAction.strictest(loaded.map { $0.verdict(for: call) })
            let answer = "the filters answer \(call.name) with \(action)"
            let cause = count == 0 ? "\(process) has no filter: seccomp load PROFILE before exec" : "the profile's rule for \(call.name) decides: the first rule naming it, else the default"
            guard verdict.matches(action) else { return fail(answer, cause) }
            // A denial holds only if the call cannot go round it through x86_64's other ABIs.
            if verdict != .allowed {
                for other in SeccompFilter.otherABIs(of: call) {
                    let through = SeccompAction.strictest(loaded.map { $0.verdict(number: other.number, architecture: other.architecture) })
                    guard SeccompExpectation.Verdict.denies(through) else {
                        let number = other.abi == "x32" ? "0x" + String(other.number, radix: 16) : "\(other.number)"
                        return fail("\(answer), but a program making it as \(other.abi) (number \(number)) gets \(through)",
                                    "the filter compares numbers without checking the architecture first, and \(other.abi)'s numbers are not x86_64's: load it with the check (without --no-arch-check)")
                    }
                }
            }
            return CheckResult(passed: true, summary: summary + ": " + answer)
        }
    }

    /// Seccomp and Seccomp_filters of /proc/PID/status (0 where the kernel does not say).
    static func seccompStatus(of pid: Int32) -> (mode: Int, filters: Int) {
        (Int(ProcessTable.statusField("Seccomp", of: pid) ?? "") ?? 0, Int(ProcessTable.statusField("Seccomp_filters", of: pid) ?? "") ?? 0)
    }

    /// The filters the ledger says BoxLab loaded into `pid` or an ancestor still running, in
    /// the order they were loaded.
    private func loadedFilters(for pid: Int32) -> [SeccompFilter] {
        guard let run = processes?.run else { return [] }
        var lineage: Set<[UInt64]> = []
        var current: Int32? = pid
        while let process = current, process > 1, let start = ProcessTable.startTime(of: process) {
            guard lineage.insert([UInt64(process), start]).inserted else { break }
            current = ProcessTable.parent(of: process)
        }
        return Ledger(path: run.ledger).entries().compactMap { entry in
            guard case let .seccompFilter(pid, startTime, instructions) = entry, lineage.contains([UInt64(pid), startTime]) else { return nil }
            return SeccompFilter(hex: instructions)
        }
    }
}
