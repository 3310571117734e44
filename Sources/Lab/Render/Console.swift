import Glibc
import Kernel
import Synchronization

/// Where the learner's screen output goes, with colour only on a terminal that wants it
/// (no escape codes when stdout is not a terminal, NO_COLOR is set, or TERM is dumb).
public final class Console: @unchecked Sendable {
    public enum Style: String, Sendable {
        case plain, heading, command, trace, output, success, failure, change, note, dim
        var code: String {
            switch self {
            case .plain, .output: ""
            case .heading: "\u{1B}[1m"
            case .command: "\u{1B}[1;36m"
            case .trace, .dim: "\u{1B}[2m"
            case .success: "\u{1B}[32m"
            case .failure: "\u{1B}[31m"
            case .change: "\u{1B}[33m"
            case .note: "\u{1B}[35m"
            }
        }
    }

    public let colors: Bool
    /// When set, text goes here instead of stdout (tests, `--json`, transcripts).
    private let sink: (@Sendable (String) -> Void)?
    /// One text at a time, so that lines written from two threads do not interleave.
    private let writing = Mutex(())
    public var quiet = false
    /// Also hears each line shown, unstyled, with its style (the live view), when set.
    public var tap: (@Sendable (String, Style) -> Void)?

    public init(colors: Bool, sink: (@Sendable (String) -> Void)? = nil) {
        self.colors = colors
        self.sink = sink
    }

    /// A console that shows nothing: commands performed with it are not traced either.
    public static func silent() -> Console {
        let console = Console(colors: false, sink: { _ in })
        console.quiet = true
        return console
    }

    /// A console on stdout, coloured when stdout is a terminal and the user allows it.
    public static func standard() -> Console {
        let wantsColor = isatty(STDOUT_FILENO) == 1 && ProcessEnvironment.value("NO_COLOR") == nil && ProcessEnvironment.value("TERM") != "dumb"
        return Console(colors: wantsColor)
    }

    public func line(_ text: String = "", _ style: Style = .plain, indent: Int = 0) {
        guard !quiet else { return }
        tap?(text, style)
        let pad = String(repeating: " ", count: indent)
        let body = text.split(separator: "\n", omittingEmptySubsequences: false).map { pad + $0 }.joined(separator: "\n")
        let styled = colors && !style.code.isEmpty && !text.isEmpty ? style.code + body + "\u{1B}[0m" : body
        emit(styled + "\n")
    }

    /// Output of a command or program, shown as it came (its own newlines).
    public func raw(_ text: String) {
        guard !quiet, !text.isEmpty else { return }
        tap?(text, .output)
        emit(text.hasSuffix("\n") ? text : text + "\n")
    }

    private func emit(_ text: String) {
        writing.withLock { _ in if let sink { sink(text) } else { StandardStream.output.write(text) } }
    }
}
