import Kernel

/// A seccomp profile as a lab writes it, one rule a line, in the order the filter compares:
///
///     # no new namespaces, no mounts: the intent of Docker's default profile
///     default allow
///     errno EPERM: unshare setns mount umount2
///     kill: reboot
///
/// ACTION is `allow`, `errno NAME|NUMBER`, `kill` (the process), `kill-thread`, `trap`,
/// `log` or `notify`; calls are named as on x86_64. `#` starts a comment.
enum SeccompProfileText {
    static let actions = ["allow", "errno", "kill", "kill-thread", "trap", "log", "notify"]

    /// The profile in the file `operand` names (made absolute, with the path rules, by `resolve`).
    static func read(_ operand: String, resolve: (String, PathUse) throws(CommandError) -> String) throws(CommandError) -> SeccompProfile {
        let path = try resolve(operand, .read)
        let text: [UInt8]
        do throws(KernelError) { text = try Trace.untraced { () throws(KernelError) in try FileSystem.readFile(path) } } catch {
            throw CommandError(message: "\(operand): \(error.errno.message)", cause: error.errno == .ENOENT ? "write the profile first: echo \"default allow\" > \(operand)" : nil)
        }
        return try parse(String(decoding: text, as: UTF8.self), file: operand)
    }

    /// The profile in `text`, or the first line that is not one, as `FILE:LINE: why`.
    static func parse(_ text: String, file: String) throws(CommandError) -> SeccompProfile {
        var defaultAction: SeccompAction?
        var rules: [SeccompProfile.Rule] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            func fail(_ message: String, cause: String? = nil) -> CommandError {
                CommandError(message: "\(file):\(index + 1): \(message)", cause: cause)
            }
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            let words = line.split(whereSeparator: \.isWhitespace).map(String.init)
            guard let first = words.first else { continue }
            if first == "default" {
                guard defaultAction == nil else { throw fail("a second default action", cause: "a profile has one default: the verdict for every call no rule names") }
                defaultAction = try action(Array(words.dropFirst()), fail)
                continue
            }
            guard let colon = line.firstIndex(of: ":") else {
                throw fail("expected 'ACTION: CALL...' or 'default ACTION', found '\(line.trimmingWhitespace())'")
            }
            let action = try action(line[..<colon].split(whereSeparator: \.isWhitespace).map(String.init), fail)
            let names = line[line.index(after: colon)...].split(whereSeparator: \.isWhitespace).map(String.init)
            guard !names.isEmpty else { throw fail("no system call after '\(line[...colon].trimmingWhitespace())'") }
            let calls = try names.map { name throws(CommandError) in
                guard let call = SystemCall(name: name) else {
                    throw fail(unknownCall(name), cause: "calls are named as x86_64's kernel names them (umount2, not umount)")
                }
                return call
            }
            rules.append(SeccompProfile.Rule(action, calls))
        }
        guard let defaultAction else {
            throw CommandError(message: "\(file): no 'default ACTION' line", cause: "say what every call no rule names gets: default allow (a deny list) or default errno EPERM (an allow list)")
        }
        return SeccompProfile(defaultAction: defaultAction, rules: rules)
    }

    /// `unknown system call 'mout': did you mean 'mount'?`, for a profile and an expectation alike.
    static func unknownCall(_ name: String) -> String {
        "unknown system call '\(name)'" + (nearest(to: name, in: SystemCall.allNames, maximumDistance: 2).map { ": did you mean '\($0)'?" } ?? "")
    }

    private static func action(_ words: [String], _ fail: (String, String?) -> CommandError) throws(CommandError) -> SeccompAction {
        let known = "allow, errno NAME, kill, kill-thread, trap, log or notify"
        switch words {
        case ["allow"]: return .allow
        case ["kill"]: return .killProcess
        case ["kill-thread"]: return .killThread
        case ["trap"]: return .trap
        case ["log"]: return .log
        case ["notify"]: return .notify
        case let words where words.count == 2 && words[0] == "errno":
            if let errno = Errno(name: words[1]) ?? Int32(words[1]).flatMap({ (1...4095).contains($0) ? Errno($0) : nil }) { return .errno(errno) }
            throw fail("unknown errno '\(words[1])'", "an errno name such as EPERM or ENOSYS, or a number from 1 to 4095")
        case let words where words.first == "errno": throw fail("errno takes one errno: errno EPERM", nil)
        default:
            let word = words.joined(separator: " ")
            let near = nearest(to: word, in: actions, maximumDistance: 2)
            throw fail("unknown action '\(word)'" + (near.map { ": did you mean '\($0)'?" } ?? ""), "an action is \(known)")
        }
    }
}
