import Kernel

/// A process's seccomp state:
///
///     seccomp PROC mode 0|1|2 [filters N]   (Seccomp and Seccomp_filters in /proc/PID/status)
///     denied CALL in PROC [with ERRNO|kill|kill-thread|trap]
///     allowed CALL in PROC                  (the verdict is ALLOW or LOG: PROC must run, which
///                                            `not denied` does not ask)
///
/// `denied` and `allowed` read the verdict the kernel would give PROC's next CALL (every argument 0), read
/// from the filters BoxLab loaded into it or an ancestor: the kernel shows a filter only to
/// the host's CAP_SYS_ADMIN, so one loaded by another program cannot be judged.
public enum SeccompExpectation: Sendable, Equatable {
    case mode(process: String, mode: Int, filters: Int?)
    case verdict(call: SystemCall, process: String, Verdict)

    /// What the filters must answer the call with.
    public enum Verdict: Sendable, Equatable {
        /// Anything but ALLOW and LOG (`denied` without `with`).
        case denied
        case errno(Errno)
        case kill, killThread, trap
        /// ALLOW or LOG (`allowed`).
        case allowed

        /// `with EPERM`, `with kill`…; nil for `denied` and `allowed`.
        init?(word: String) {
            switch word {
            case "kill": self = .kill
            case "kill-thread": self = .killThread
            case "trap": self = .trap
            default:
                guard let errno = Errno(name: word) else { return nil }
                self = .errno(errno)
            }
        }

        /// Whether `action` keeps the call from running.
        static func denies(_ action: SeccompAction) -> Bool { action != .allow && action != .log }

        /// Whether the filters' `action` is this verdict.
        func matches(_ action: SeccompAction) -> Bool {
            switch self {
            case .denied: Self.denies(action)
            case .allowed: !Self.denies(action)
            case .errno(let errno): action == .errno(errno)
            case .kill: action == .killProcess
            case .killThread: action == .killThread
            case .trap: action == .trap
            }
        }

        /// ` with EPERM`, as the summary ends.
        var suffix: String {
            switch self {
            case .denied, .allowed: ""
            case .errno(let errno): " with \(errno.name)"
            case .kill: " with kill"
            case .killThread: " with kill-thread"
            case .trap: " with trap"
            }
        }
    }

    static let forms = ["seccomp PROC mode 0|1|2 [filters N]", "denied CALL in PROC [with ERRNO|kill|kill-thread|trap]", "allowed CALL in PROC"]

    var subject: String {
        switch self {
        case .mode(let process, _, _): "seccomp \(process)"
        case .verdict(let call, let process, _): "seccomp \(call.name) \(process)"
        }
    }

    static func parse(_ keyword: String, _ words: [String]) throws(ExpectationError) -> Expectation {
        let form = forms.first { $0.hasPrefix(keyword + " ") }
        func fail(_ message: String) -> ExpectationError { ExpectationError(message: message, form: form) }
        if keyword == "seccomp" {
            guard words.count == 3 || words.count == 5, words[1] == "mode", let mode = Int(words[2]), (0...2).contains(mode) else {
                throw fail("seccomp takes a process, mode and 0, 1 or 2")
            }
            guard words.count == 5 else { return .seccomp(.mode(process: words[0], mode: mode, filters: nil)) }
            guard words[3] == "filters", let filters = Int(words[4]), filters >= 0 else { throw fail("after the mode, expected filters N") }
            return .seccomp(.mode(process: words[0], mode: mode, filters: filters))
        }
        guard words.count >= 3, words[1] == "in" else { throw fail("\(keyword) takes a system call, in and a process") }
        guard let call = SystemCall(name: words[0]) else { throw fail(SeccompProfileText.unknownCall(words[0])) }
        if keyword == "allowed" {
            guard words.count == 3 else { throw fail("allowed takes a system call, in and a process, and nothing after") }
            return .seccomp(.verdict(call: call, process: words[2], .allowed))
        }
        guard words.count > 3 else { return .seccomp(.verdict(call: call, process: words[2], .denied)) }
        guard words.count == 5, words[3] == "with", let verdict = Verdict(word: words[4]) else {
            throw fail("after the process, expected with ERRNO (EPERM, ENOSYS…), with kill, with kill-thread or with trap")
        }
        return .seccomp(.verdict(call: call, process: words[2], verdict))
    }
}
