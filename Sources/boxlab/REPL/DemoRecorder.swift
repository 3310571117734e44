import Kernel
import Lab

/// `--record-demo FILE`: each line entered at the prompt, with the seconds the prompt waited
/// for it, written as it is entered (a session that ends abruptly keeps what was typed).
final class DemoRecorder {
    private var file: FileDescriptor?
    private let path: String
    private let console: Console

    init(file: FileDescriptor, path: String, console: Console) {
        self.file = file
        self.path = path
        self.console = console
        write(DemoScript.header)
    }

    func note(_ line: String, after seconds: Double) {
        write(DemoScript.line(DemoScript.Entry(seconds: seconds, line: line)))
    }

    /// A write that fails is said once; the session goes on unrecorded.
    private func write(_ text: String) {
        guard let file else { return }
        do throws(KernelError) {
            try Trace.untraced { () throws(KernelError) in try file.write(Array(text.utf8)) }
        } catch {
            console.line("✗ cannot write the demo to \(path): \(error.errno); no longer recording", .failure)
            file.discard()
            self.file = nil
        }
    }
}
