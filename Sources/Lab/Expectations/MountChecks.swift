import Kernel

extension Evaluator {
    func checkMount(_ path: String, fstype: String?, propagation: String?, readOnly: Bool?,
                    options: [(key: String, value: String)]) -> CheckResult {
        var details = options.map { "\($0.key)=\($0.value)" }
        if let propagation { details.append("propagation \(propagation)") }
        if let readOnly { details.append(readOnly ? "read-only" : "read-write") }
        let what = fstype.map { "\(article($0)) \($0) mount" } ?? "a mount point"
        let summary = "\(path) is \(what)" + (details.isEmpty ? "" : " (\(details.joined(separator: ", ")))")
        guard let entry = mounts.mount(at: absolute(path)) else {
            let found = mountsElsewhere ? "nothing is mounted at \(path)"
                : status(path) == nil ? "\(path) does not exist" : "nothing is mounted at \(path) (a plain directory)"
            return CheckResult(passed: false, summary: summary, found: found, cause: "run the mount command; `mount` with no arguments lists the workspace's mounts")
        }
        var problems: [String] = []
        if let fstype, entry.fstype != fstype { problems.append("it is a \(entry.fstype) mount") }
        if let propagation, entry.propagation.rawValue != propagation { problems.append("its propagation is \(entry.propagation.rawValue)") }
        if let readOnly, entry.isReadOnly != readOnly { problems.append(entry.isReadOnly ? "it is read-only" : "it is read-write") }
        for (key, value) in options {
            let actual = entry.superOption(key)
            if actual == nil || !sameOptionValue(key: key, expected: value, actual: actual!) {
                problems.append(actual.map { "\(key) is \(displayOption(key, $0))" } ?? "it has no \(key)")
            }
        }
        if problems.isEmpty { return CheckResult(passed: true, summary: summary) }
        let readOnlyCause = readOnly == true && !entry.isReadOnly ? "a bind mount is read-only only after a remount: mount -o remount,bind,ro \(path)" : nil
        return CheckResult(passed: false, summary: summary, found: problems.joined(separator: "; "), cause: swapCause(entry, options) ?? readOnlyCause)
    }

    private func isPathOption(_ key: String) -> Bool { ["lowerdir", "upperdir", "workdir"].contains(key) }

    /// Path options compare as paths in the workspace; lowerdir is a colon-separated stack.
    private func sameOptionValue(key: String, expected: String, actual: String) -> Bool {
        guard isPathOption(key) else { return expected == actual }
        let want = expected.split(separator: ":").map { absolute(String($0)) }
        return want == mountedPaths(actual)
    }

    private func displayOption(_ key: String, _ value: String) -> String {
        guard isPathOption(key) else { return value }
        return mountedPaths(value).map { workspace.relative($0) }.joined(separator: ":")
    }

    /// The kernel shows overlay's directory options as the mounter gave them. A relative path
    /// was relative to the mounting process's directory, which BoxLab cannot see afterwards;
    /// `boxlab shell` starts in the workspace, so that is where it is taken from.
    func mountedPaths(_ value: String) -> [String] {
        value.split(separator: ":").map { absolute(String($0)) }
    }

    private func swapCause(_ entry: MountInfoEntry, _ options: [(key: String, value: String)]) -> String? {
        let want = Dictionary(options.map { ($0.key, absolute($0.value)) }, uniquingKeysWith: { first, _ in first })
        if let lower = want["lowerdir"], let upper = want["upperdir"],
           entry.superOption("lowerdir").map(absolute) == upper, entry.superOption("upperdir").map(absolute) == lower {
            return "lowerdir and upperdir are swapped: writes now land in what should be the read-only layer; unmount and mount again"
        }
        if let lower = want["lowerdir"], let actual = entry.superOption("lowerdir"), lower.contains(":") || actual.contains(":") {
            return "the order of lowerdir matters: the leftmost layer is on top"
        }
        return nil
    }
}

func article(_ word: String) -> String {
    "aeiou".contains(word.first ?? "x") ? "an" : "a"
}
