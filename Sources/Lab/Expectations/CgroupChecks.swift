import Kernel

extension Evaluator {
    func checkCgroup(_ want: CgroupExpectation) -> CheckResult {
        let name = want.group == "." ? "the lab's cgroup" : want.group
        let summary = cgroupSummary(want, name)
        let root: CgroupRoot
        switch cgroupRoot.value {
        case .failure(let error): return CheckResult(passed: false, summary: summary, found: error.message)
        case .success(let found): root = found
        }
        let group = root.group.child(want.group == "." ? "" : want.group)
        let missing = group.directories.filter { (try? FileSystem.stat($0))?.type != .directory }
        guard missing.isEmpty else {
            return CheckResult(passed: false, summary: summary, found: "there is no cgroup \(name) (\(missing.joined(separator: ", ")))",
                               cause: "mkdir it: " + mkdirCommand(group, root: root, group: want.group))
        }
        guard let property = want.property else { return CheckResult(passed: true, summary: summary) }
        do {
            switch property {
            case .memory(let limit):
                return compare(try group.memoryLimit(), limit, summary, shown: \.size, setting: "\(limit.size)")
            case .pids(let limit):
                return compare(try group.processLimit(), limit, summary, shown: \.description, setting: limit.description)
            case .cpu(let limit):
                return compare(try group.cpuLimit(), limit, summary, shown: \.description, setting: "\(limit.quota) \(limit.period)")
            case .frozen(let frozen):
                let reading = try group.freezerState()
                if (reading.value == .frozen) == frozen { return CheckResult(passed: true, summary: summary) }
                let file = reading.fileNames == "cgroup.events" ? "cgroup.freeze" : reading.fileNames
                let value = file == "cgroup.freeze" ? (frozen ? "1" : "0") : (frozen ? "FROZEN" : "THAWED")
                return CheckResult(passed: false, summary: summary, found: "\(reading.fileNames) reads \(quoted(reading.text))",
                                   cause: reading.value == .freezing && frozen ? "a task has not stopped yet; look again in a moment"
                                       : "write \(value) to \(file) in the group (this machine's freezer is cgroup \(group.places[.freezer]?.version.rawValue ?? "v2"))")
            case .member(let process):
                let pid: Int32
                switch resolveProcess(process) {
                case .success(let found): pid = found
                case .failure(let failure): return CheckResult(passed: false, summary: summary, found: failure.found, cause: failure.cause)
                }
                if try group.processes().contains(pid) { return CheckResult(passed: true, summary: summary) }
                let table = (try? FileSystem.readFile("/proc/\(pid)/cgroup")).map { String(decoding: $0, as: UTF8.self) }
                let lines = (table ?? "").split(separator: "\n").filter { !$0.hasSuffix(":/") }.prefix(3).joined(separator: "; ")
                let found = !lines.isEmpty ? "/proc/\(pid)/cgroup says \(lines)"
                    : table == nil ? "\(process) (process \(pid)) is not in it"
                    : "\(process) (process \(pid)) is in the root cgroup of every hierarchy (/proc/\(pid)/cgroup: each line ends in :/), not in \(name)"
                return CheckResult(passed: false, summary: summary, found: found,
                                   cause: "start it there (cgexec -g CONTROLLER:\(want.group) …), or echo its pid > cgroup.procs of the group")
            case .counter(let file, let key, let comparison, let value):
                guard let reading = try group.counter(file, key) else {
                    return CheckResult(passed: false, summary: summary, found: "\(file) has no \(key) on this machine")
                }
                if comparison.holds(reading.value, value) { return CheckResult(passed: true, summary: summary) }
                return CheckResult(passed: false, summary: summary, found: "\(reading.fileNames) reads \(quoted(reading.text))",
                                   cause: "\(key) counts only what happens in \(name): was the program in the group (cgexec -g CONTROLLER:\(want.group) …, or its pid echoed to cgroup.procs) and did it pass the limit?")
            }
        } catch let error as KernelError {
            return CheckResult(passed: false, summary: summary, found: "cannot read \(error.arguments.first ?? name): \(error.errno)",
                               cause: error.errno == .ENOENT ? "the kernel does not offer this file here; is the controller enabled?" : nil)
        } catch {
            return CheckResult(passed: false, summary: summary, found: "\(error)")
        }
    }

    private func cgroupSummary(_ want: CgroupExpectation, _ name: String) -> String {
        switch want.property {
        case nil: "cgroup \(name) exists"
        case .memory(let limit): limit == .max ? "\(name) has no memory limit" : "\(name)'s memory limit is \(limit.size)"
        case .pids(let limit): limit == .max ? "\(name) has no process limit" : "\(name) may hold at most \(limit) processes"
        case .cpu(let limit):
            limit.quota == .max ? "\(name) has no CPU limit (period \(limit.period)µs)" : "\(name) may use \(limit.quota)µs of CPU every \(limit.period)µs"
        case .frozen(let frozen): "\(name) is \(frozen ? "frozen" : "thawed")"
        case .member(let process): "\(process) is in \(name)"
        case .counter(let file, let key, let comparison, let value): "\(name)'s \(file) \(key) \(comparison.rawValue) \(value)"
        }
    }

    /// A limit read back: `found` names the file read on this machine; the cause says which
    /// file takes the value here.
    private func compare<Value>(
        _ reading: CgroupReading<Value>, _ want: Value, _ summary: String, shown: KeyPath<Value, String>, setting: String
    ) -> CheckResult {
        if reading.value == want { return CheckResult(passed: true, summary: summary) }
        let found = "\(reading.fileNames) reads \(quoted(reading.text))" + (reading.value[keyPath: shown] == reading.text ? "" : " (\(reading.value[keyPath: shown]))")
        return CheckResult(passed: false, summary: summary, found: found,
                           cause: "on this machine the limit is written to \(reading.fileNames): echo \(setting) > it in the group")
    }

    private func mkdirCommand(_ cgroup: Cgroup, root: CgroupRoot, group: String) -> String {
        let variables = Dictionary(grouping: CgroupController.lab.filter { cgroup.places[$0] != nil }) { cgroup.places[$0]!.directory }
        return variables.values.map { "mkdir $\($0.sorted()[0].rawValue)/\(group)" }.sorted().joined(separator: "; ")
    }
}

/// The lab's cgroup root, found once per evaluation: detection reads mountinfo and the ledger.
final class CgroupRootOnce: @unchecked Sendable {
    private let find: @Sendable () -> Result<CgroupRoot, CgroupError>
    lazy var value: Result<CgroupRoot, CgroupError> = find()

    init(_ find: @escaping @Sendable () -> Result<CgroupRoot, CgroupError>) { self.find = find }
}
