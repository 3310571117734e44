import Image
import Kernel

extension Evaluator {
    func checkFile(_ path: String, _ rule: Expectation.ContentRule?) -> CheckResult {
        let summary: String = switch rule {
        case nil: "\(path) is a regular file"
        case .equals(let text): "\(path) reads \(quoted(text))"
        case .contains(let text): "\(path) contains \(quoted(text))"
        }
        guard let status = status(path) else {
            return CheckResult(passed: false, summary: summary, found: "\(path) does not exist", cause: missingCause(path))
        }
        guard status.type == .regular else {
            return CheckResult(passed: false, summary: summary, found: describe(path),
                               cause: status.isWhiteout ? "a whiteout hides the file in the merged view; \(path) is the upper layer's marker" : nil)
        }
        guard let rule else { return CheckResult(passed: true, summary: summary) }
        let text = (try? FileSystem.readFile(absolute(path))).map { String(decoding: $0, as: UTF8.self) } ?? ""
        let passed: Bool = switch rule {
        case .equals(let expected): trimmed(text) == trimmed(expected)
        case .contains(let expected): text.contains(expected)
        }
        return passed ? CheckResult(passed: true, summary: summary)
            : CheckResult(passed: false, summary: summary, found: "it reads \(quoted(text))", cause: contentCause(path, text))
    }

    func checkDirectory(_ path: String, _ entries: [String]) -> CheckResult {
        let summary = entries.isEmpty ? "\(path) is a directory" : "\(path) has \(entries.joined(separator: ", "))"
        guard let status = status(path), status.type == .directory else {
            return CheckResult(passed: false, summary: summary, found: describe(path), cause: missingCause(path))
        }
        let names = Set((try? FileSystem.listDirectory(absolute(path))) ?? [])
        let missing = entries.filter { !names.contains($0) }
        if missing.isEmpty { return CheckResult(passed: true, summary: summary) }
        return CheckResult(passed: false, summary: summary, found: "\(path) has no \(missing.joined(separator: ", "))",
                           cause: names.isEmpty ? missingCause(path + "/" + (missing.first ?? "")) : nil)
    }

    func checkAbsent(_ path: String) -> CheckResult {
        let summary = "\(path) does not exist"
        guard status(path) != nil else { return CheckResult(passed: true, summary: summary) }
        return CheckResult(passed: false, summary: summary, found: describe(path), cause: layerOrderCause(path))
    }

    func checkWhiteout(_ path: String) -> CheckResult {
        let summary = "\(path) is a whiteout (character device 0,0)"
        guard let status = status(path) else {
            return CheckResult(passed: false, summary: summary, found: "\(path) does not exist",
                               cause: "a file deleted directly in the upper layer leaves no whiteout; delete it through the merged view")
        }
        if status.isWhiteout { return CheckResult(passed: true, summary: summary) }
        let cause = status.type == .regular
            ? "\(path) is a regular file, not a whiteout: was it deleted through merged/ or directly in upper/?"
            : "overlayfs marks a deleted lower file with a character device 0,0 in the upper layer"
        return CheckResult(passed: false, summary: summary, found: describe(path), cause: cause)
    }

    func checkOpaque(_ path: String) -> CheckResult {
        let summary = "\(path) is an opaque directory (\(Whiteout.opaqueAttribute)=y)"
        guard let status = status(path), status.type == .directory else {
            return CheckResult(passed: false, summary: summary, found: describe(path),
                               cause: "an opaque directory appears in upper when a lower directory is removed and made again through merged/")
        }
        if isOpaque(absolute(path)) { return CheckResult(passed: true, summary: summary) }
        return CheckResult(passed: false, summary: summary, found: "\(path) is a directory without \(Whiteout.opaqueAttribute)",
                           cause: "was the directory removed through merged/ before it was made again? A directory made in upper/ directly is not opaque")
    }

    func checkSame(_ first: String, _ second: String) -> CheckResult {
        let summary = "\(first) and \(second) are the same file"
        guard let one = status(first), let two = status(second) else {
            return CheckResult(passed: false, summary: summary, found: status(first) == nil ? describe(first) : describe(second))
        }
        if one.device == two.device && one.inode == two.inode { return CheckResult(passed: true, summary: summary) }
        return CheckResult(passed: false, summary: summary,
                           found: "\(first) is \(one.device):\(one.inode), \(second) is \(two.device):\(two.inode)")
    }

    /// The owner as the session's stat sees it. Inside BoxLab's sandbox that is the sandbox's
    /// uid: the host's, less the sandbox's own map (docs/userns-sandbox.md).
    func checkOwner(_ path: String, _ uid: UInt32) -> CheckResult {
        let summary = "\(path) is owned by uid \(uid)"
        guard let status = status(path) else {
            return CheckResult(passed: false, summary: summary, found: "\(path) does not exist", cause: missingCause(path))
        }
        if status.uid == uid { return CheckResult(passed: true, summary: summary) }
        let cause = status.uid == 0
            ? "root made it with root's uid outside too: a process whose user namespace maps its root elsewhere (uidmap PID 0 \(uid) COUNT before it writes) makes files owned by that uid"
            : status.uid == 65534 ? "65534 is the overflow uid: an owner the viewer's user namespace does not map" : "the file's maker ran as another uid, or its user namespace maps root to another one (its uid_map)"
        return CheckResult(passed: false, summary: summary, found: "it is owned by uid \(status.uid), gid \(status.gid)", cause: cause)
    }

    /// Why a path the lab expected is missing: usually because the directory it lives in is
    /// an empty mount point with nothing mounted on it yet.
    func missingCause(_ path: String) -> String? {
        let top = String(path.split(separator: "/").first ?? "")
        guard top != path, let status = status(top), status.type == .directory,
              mounts.mount(at: absolute(top)) == nil,
              (try? FileSystem.listDirectory(absolute(top)))?.isEmpty ?? false else { return nil }
        return "nothing is mounted at \(top): it is the empty directory underneath"
    }

    /// The text read belongs to another file of the same name elsewhere in the workspace:
    /// say which, since that usually tells which layer the merged view is showing.
    private func contentCause(_ path: String, _ text: String) -> String? {
        let parts = path.split(separator: "/")
        guard parts.count > 1, let tops = try? FileSystem.listDirectory(workspace.root) else { return nil }
        let rest = parts.dropFirst().joined(separator: "/")
        for top in tops where top != String(parts[0]) {
            let candidate = top + "/" + rest
            guard status(candidate)?.type == .regular else { continue }
            if let other = try? FileSystem.readFile(absolute(candidate)), String(decoding: other, as: UTF8.self) == text {
                return "that is the text of \(candidate): the view shows \(top)'s copy"
            }
        }
        return nil
    }
}

private func trimmed(_ text: String) -> String {
    text.hasSuffix("\n") ? String(text.dropLast()) : text
}
