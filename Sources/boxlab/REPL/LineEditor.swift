import CBoxLab
// Readline's configuration and state are plain C globals (rl_point, rl_outstream...),
// which Swift 6 rejects as unsafe shared mutable state. They are only touched from
// the thread running LineEditor.read, so the checks are waived for this module.
@preconcurrency import CReadline
import FoundationEssentials
import Glibc

/// What Tab is completing: the whole line, the word under the cursor, and where
/// that word starts (a UTF-8 byte offset into `line`).
struct CompletionRequest {
    let line: String
    let word: String
    let wordStart: Int
}

/// Reads REPL input lines.
///
/// On a terminal it uses GNU readline's callback ("alternate") interface: we wait
/// with poll() on both stdin and the Ctrl-C self-pipe (see interrupt.h) and feed
/// readline one character at a time, so Ctrl-C at the prompt just cancels the line,
/// as in bash, instead of killing the program. When stdin is not a terminal (tests,
/// `boxlab < script`) readline is not used: lines are read plainly, and only the
/// prompt is printed, so transcripts still show where each command began.
///
/// Readline is one global C state machine, so only one LineEditor may exist at a time.
final class LineEditor {
    enum Input: Equatable {
        case line(String)
        case interrupted
        case endOfInput
    }

    private let historyFile: String?
    private let completer: (CompletionRequest) -> [String]
    private let interactive: Bool
    private static let historyLimit: Int32 = 1000

    /// Set by the readline line handler; nil until a line (or EOF) is complete.
    fileprivate var finished: Input?
    /// The candidates of the current Tab press, handed to readline one by one.
    fileprivate var candidates: [String] = []
    /// Pipe mode: bytes read from stdin but not yet returned as lines.
    private var pending: [UInt8] = []
    private var stdinAtEOF = false

    init(historyFile: String?, completer: @escaping (CompletionRequest) -> [String]) {
        self.historyFile = historyFile
        self.completer = completer
        self.interactive = isatty(STDIN_FILENO) == 1
        boxlab_interrupt_install()
        activeEditor = self
        guard interactive else { return }

        rl_readline_name = UnsafePointer(strdup("boxlab"))  // for $if boxlab in ~/.inputrc; never freed
        // Readline's signal handlers stay installed while the prompt is up (not just
        // inside rl_callback_read_char), so it restores the terminal around Ctrl-Z,
        // SIGTERM... and tracks window resizes even while we sit in poll().
        rl_persistent_signal_handlers = 1
        rl_change_environment = 0            // don't export LINES/COLUMNS to the programs we run
        rl_attempted_completion_function = completeCallback
        using_history()
        if let historyFile {
            _ = read_history(historyFile)
        }
        stifle_history(Self.historyLimit)
    }

    deinit {
        if activeEditor === self { activeEditor = nil }
    }

    /// Reads one line. Ctrl-D on an empty line gives `.endOfInput`, Ctrl-C `.interrupted`.
    /// Ctrl-C presses left over from before the call (not taken by whoever ran the
    /// last command) are discarded, so they don't cancel the new prompt.
    func read(prompt: String) -> Input {
        _ = boxlab_interrupt_take()
        return interactive ? readInteractive(prompt: prompt) : readPlain(prompt: prompt)
    }

    /// Adds a line to the history (skipping blank lines and immediate repeats) and
    /// appends it to the history file, which is kept to the last 1000 lines.
    /// Only on a terminal: scripted input never touches the user's history.
    func remember(_ line: String) {
        guard interactive, !line.allSatisfy(\.isWhitespace) else { return }
        if history_length > 0, let last = history_get(history_base + history_length - 1),
           String(cString: last.pointee.line) == line {
            return
        }
        add_history(line)
        guard let historyFile else { return }
        let directory = historyFile.lastIndex(of: "/").map { String(historyFile[..<$0]) } ?? ""
        if !directory.isEmpty {
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        // append_history() won't create a missing file; write_history() does.
        if FileManager.default.fileExists(atPath: historyFile) {
            _ = append_history(1, historyFile)
        } else {
            _ = write_history(historyFile)
        }
        _ = history_truncate_file(historyFile, Self.historyLimit)
    }

    // MARK: Terminal

    private func readInteractive(prompt: String) -> Input {
        finished = nil
        rl_callback_handler_install(prompt, lineCallback)
        let interruptFD = boxlab_interrupt_fd()
        var fds = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
                   pollfd(fd: interruptFD, events: Int16(POLLIN), revents: 0)]
        while finished == nil {
            // Readline (re)installs its handler for SIGINT too; SIGINT must stay ours.
            boxlab_interrupt_install()
            let ready = poll(&fds, nfds_t(fds.count), -1)
            if ready < 0 {
                guard errno == EINTR else {
                    rl_callback_handler_remove()  // restores the terminal modes
                    return .endOfInput
                }
                // Let readline act on a signal it caught: resize, Ctrl-Z, SIGTERM...
                let caught = rl_pending_signal()
                rl_check_signals()
                if caught == SIGTSTP || caught == SIGTTIN || caught == SIGTTOU {
                    rl_on_new_line()  // back from `fg`: redraw prompt and line
                    rl_forced_update_display()
                }
            }
            // EINTR or a byte in the pipe: take() says whether it really was Ctrl-C.
            if boxlab_interrupt_pending() > 0 || fds[1].revents != 0 {
                if boxlab_interrupt_take() > 0 {
                    cancelLine()
                    return .interrupted
                }
                continue
            }
            if ready > 0 && fds[0].revents != 0 {
                rl_callback_read_char()  // may call lineCallback, which sets `finished`
            }
        }
        // On EOF, move below the prompt so the shell's next prompt gets its own line.
        // Readline does it itself when bracketed paste is on (its default since 8.1).
        if finished == .endOfInput,
           rl_variable_value("enable-bracketed-paste").map({ String(cString: $0) }) != "on" {
            fputs("\n", rl_outstream)
            fflush(rl_outstream)
        }
        return finished!
    }

    /// Ctrl-C at the prompt: show "^C" after the text, move to a fresh line, and
    /// reset readline's state (the same steps readline itself takes for SIGINT).
    private func cancelLine() {
        rl_point = rl_end
        rl_redisplay()
        // Before the cleanup: restoring the terminal may emit a carriage return.
        fputs("^C", rl_outstream)
        rl_free_line_state()
        rl_callback_sigcleanup()
        rl_cleanup_after_signal()  // restores the terminal modes
        rl_callback_handler_remove()
        fputs("\n", rl_outstream)
        fflush(rl_outstream)
    }

    fileprivate func complete(text: String, start: Int) -> [String] {
        let line = rl_line_buffer.map { String(cString: $0) } ?? ""
        return completer(CompletionRequest(line: line, word: text, wordStart: start))
            .filter { $0.hasPrefix(text) }
    }

    // MARK: Pipe

    private func readPlain(prompt: String) -> Input {
        print(prompt, terminator: "")
        fflush(nil)
        while true {
            if let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: pending[..<newline], as: UTF8.self)
                pending.removeSubrange(...newline)
                return .line(line)
            }
            if stdinAtEOF {
                guard !pending.isEmpty else { return .endOfInput }
                defer { pending.removeAll() }
                return .line(String(decoding: pending, as: UTF8.self))
            }
            var fds = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: boxlab_interrupt_fd(), events: Int16(POLLIN), revents: 0)]
            let ready = poll(&fds, nfds_t(fds.count), -1)
            let pollError = errno  // before take(), which may set errno
            if boxlab_interrupt_take() > 0 { return .interrupted }
            if ready < 0 && pollError != EINTR { stdinAtEOF = true; continue }
            guard ready > 0, fds[0].revents != 0 else { continue }
            var buffer = [UInt8](repeating: 0, count: 4096)
            let count = Glibc.read(STDIN_FILENO, &buffer, buffer.count)
            if count > 0 {
                pending += buffer[..<count]
            } else if count == 0 || (errno != EINTR && errno != EAGAIN) {
                stdinAtEOF = true
            }
        }
    }
}

// MARK: Readline's C callbacks

/// The editor readline's callbacks talk to. Readline calls plain C function pointers
/// that cannot capture context, so the state they need has to live in a global.
/// `nonisolated(unsafe)` because the compiler cannot prove it is safe: it is set
/// when the (single) LineEditor is created and only touched on the thread that calls
/// `read`, from inside readline calls made by that same `read`.
private nonisolated(unsafe) weak var activeEditor: LineEditor?

/// Readline's "line complete" callback: `line` is malloc'ed, or NULL on EOF.
private func lineCallback(_ line: UnsafeMutablePointer<CChar>?) {
    // Remove the handler now, or readline would print the prompt again at once.
    rl_callback_handler_remove()
    if let line {
        activeEditor?.finished = .line(String(cString: line))
        free(line)
    } else {
        activeEditor?.finished = .endOfInput
    }
}

private func completeCallback(_ text: UnsafePointer<CChar>?, _ start: Int32, _ end: Int32)
    -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
    rl_attempted_completion_over = 1  // no fallback to readline's filename completion
    guard let editor = activeEditor else { return nil }
    let word = text.map { String(cString: $0) } ?? ""
    editor.candidates = editor.complete(text: word, start: Int(start))
    // Directories ("dir/") are completed further, so don't put a space after them.
    if !editor.candidates.isEmpty && editor.candidates.allSatisfy({ $0.hasSuffix("/") }) {
        rl_completion_append_character = 0
    }
    return rl_completion_matches(text, nextMatch)
}

/// Readline's generator protocol: called with state 0, 1, 2... returning strdup'ed
/// matches until NULL.
private func nextMatch(_ text: UnsafePointer<CChar>?, _ state: Int32) -> UnsafeMutablePointer<CChar>? {
    guard let candidates = activeEditor?.candidates, Int(state) < candidates.count else { return nil }
    return strdup(candidates[Int(state)])
}
