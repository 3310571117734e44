import CBoxLab
import Kernel
import Lab

/// `--replay-demo FILE`: a recorded demo's lines typed again at the prompt, each after the
/// wait recorded for it divided by the speed. Ctrl-C stops it; the session goes on.
final class DemoReplay {
    private var entries: ArraySlice<DemoScript.Entry>
    private let speed: DemoSpeed
    private let console: Console

    init(_ script: DemoScript, speed: DemoSpeed, console: Console) {
        entries = script.entries[...]
        self.speed = speed
        self.console = console
    }

    /// Shows `prompt`, waits, and types the next line after it, as a presenter would; nil when
    /// the demo is over or Ctrl-C stopped it (during the wait or the line before).
    func type(after prompt: String) -> String? {
        guard let entry = entries.first else { return nil }
        StandardStream.output.write(prompt)
        guard pause(seconds: speed.wait(entry.seconds)) else {
            StandardStream.output.write("^C\n")
            console.line("the replay stopped with \(entries.count) line\(entries.count == 1 ? "" : "s") not typed; going on interactively", .dim)
            boxlab_interrupt_take()
            entries = []
            return nil
        }
        entries.removeFirst()
        StandardStream.output.write(entry.line + "\n")
        return entry.line
    }
}
