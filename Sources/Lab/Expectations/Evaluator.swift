import Kernel

/// Evaluates expectations against the kernel's state right now, without changing it and
/// without tracing (the learner's trace shows only what their commands did).
public struct Evaluator {
    let workspace: Workspace
    let mounts: MountTable

    public init(workspace: Workspace) {
        self.workspace = workspace
        self.mounts = Trace.untraced { (try? MountTable.read()) ?? MountTable(entries: []) }
    }

    public func check(_ expectation: Expectation) -> CheckResult {
        Trace.untraced { evaluate(expectation) }
    }

    private func evaluate(_ expectation: Expectation) -> CheckResult {
        switch expectation {
        case .mount(let path, let fstype, let propagation, let readOnly, let options):
            checkMount(path, fstype: fstype, propagation: propagation, readOnly: readOnly, options: options)
        case .file(let path, let content): checkFile(path, content)
        case .directory(let path, let entries): checkDirectory(path, entries)
        case .absent(let path): checkAbsent(path)
        case .whiteout(let path): checkWhiteout(path)
        case .opaque(let path): checkOpaque(path)
        case .sameFile(let first, let second): checkSame(first, second)
        case .not(let inner): negate(evaluate(inner), inner)
        case .still(let inner): evaluate(inner)
        }
    }

    func absolute(_ path: String) -> String { workspace.resolveFromRoot(path) }

    func status(_ path: String) -> FileStatus? { try? FileSystem.lstat(absolute(path)) }

    /// A short description of what is at `path`, for "found:".
    func describe(_ path: String) -> String {
        guard let status = status(path) else { return "\(path) does not exist" }
        if status.isWhiteout { return "\(path) is a whiteout (character device 0,0)" }
        switch status.type {
        case .regular:
            let text = (try? FileSystem.readFile(absolute(path))).map { String(decoding: $0, as: UTF8.self) } ?? ""
            return "\(path) is a regular file reading \(quoted(text))"
        case .directory:
            return "\(path) is a directory" + (isOpaque(absolute(path)) ? " (opaque)" : "")
        default:
            return "\(path) is a \(typeName(status.type))" + (status.type == .characterDevice ? " \(status.rdev)" : "")
        }
    }

    private func negate(_ result: CheckResult, _ inner: Expectation) -> CheckResult {
        let summary: String = switch inner {
        case .mount(let path, _, _, _, _) where result.found?.contains("nothing is mounted") ?? !result.passed:
            "nothing is mounted at \(path)"
        default: "not: \(result.summary)"
        }
        return CheckResult(passed: !result.passed, summary: result.passed ? "not: \(result.summary)" : summary,
                           found: result.passed ? describeFound(inner) : nil)
    }

    private func describeFound(_ inner: Expectation) -> String {
        if case .mount(let path, _, _, _, _) = inner, let entry = mounts.mount(at: absolute(path)) {
            return "\(path) is a \(entry.fstype) mount"
        }
        return describe(inner.subject)
    }
}

/// Text quoted for messages, with a trailing newline dropped and long text cut.
func quoted(_ text: String) -> String {
    var body = text.hasSuffix("\n") ? String(text.dropLast()) : text
    if body.count > 60 { body = String(body.prefix(57)) + "..." }
    return "\"" + body.replacingOccurrences(of: "\n", with: "\\n") + "\""
}
