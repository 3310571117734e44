import Dispatch
import FoundationEssentials
import Glibc
import Kernel
import Lab
import Synchronization

/// The session's side of the live view: it follows the session (`SessionObserver`) and sends
/// the page what happened, over the stream to the `ViewHost` that serves the page (in the
/// supervisor outside the sandbox, or in this process on the host).
///
/// The pictures cost a look at the kernel, so they are drawn only while a browser watches:
/// after each step, line or check, and once a second between them, when the learner works
/// in another shell (exercise mode) and BoxLab hears of nothing.
public final class ViewFeed: SessionObserver, Sendable {
    /// The inherited descriptor of the worker's end of the stream.
    static let variable = "BOXLAB_VIEW_FEED"
    /// How often the page's pictures are brought up to date between steps while one watches.
    static let refreshMilliseconds: Int32 = 1000

    private let stream: UnixStream
    private let large: Bool
    private let state = Mutex(State())
    private let sending = Mutex(())

    private struct State {
        /// The session followed (the REPL's `open` gives it another).
        var session: Session?
        var viewers = 0
        var seq = 0
        var lines: [ViewMessage.Line] = []
        var current = 1
        var scene: Scene?
        var gone = false
        var listening = false
        /// A page has been sent the state as it was when it opened.
        var greeted = false
    }

    init(stream: UnixStream, large: Bool) {
        self.stream = stream
        self.large = large
    }

    /// The feed whose stream this worker inherited from its supervisor; nil without a view.
    public static func inherited(large: Bool) -> ViewFeed? {
        FileDescriptor.handedDown(as: variable).map { ViewFeed(stream: UnixStream(adopting: $0), large: large) }
    }

    /// Follows `session` from now on (the REPL's `open` gives it another), in `mode`.
    public func follow(_ session: Session, mode: String) {
        state.withLock { $0.session = session }
        session.observer = self
        session.console.tap = { [weak self] text, style in self?.heard(text, style) }
        let lab = session.lab
        send(ViewMessage(kind: "lab", lab: .init(id: lab.id, title: lab.title, steps: lab.steps.map { .init(number: $0.number, title: $0.title) }),
                         mode: mode, large: large))
        let listen = state.withLock { state in
            defer { state.listening = true }
            return !state.listening
        }
        if listen { DispatchQueue(label: "boxlab.view").async { self.listen() } }
    }

    /// The REPL's mode changed (the page shows the presenter's notes in demo mode).
    public func modeChanged(_ mode: String) {
        send(ViewMessage(kind: "mode", mode: mode))
    }

    /// Blocks until a browser has the page open: a batch run shown in the browser starts then.
    public func waitForViewer() {
        while state.withLock({ !$0.greeted && !$0.gone }) { usleep(20_000) }
    }

    // MARK: SessionObserver

    public func showing(_ step: Step, in session: Session) {
        state.withLock {
            $0.lines.removeAll()
            $0.current = step.number
        }
        send(ViewMessage(kind: "step", step: .init(number: step.number, title: step.title,
                                                   prose: ProseRenderer.render(step.prose, colors: false), notes: step.notes)))
    }

    public func ended(_ what: String, report: StepReport?, in session: Session) {
        let at = monotonicNanoseconds()
        let (lines, current, watched) = state.withLock { state in
            defer { state.lines.removeAll() }
            return (state.lines, state.current, state.viewers > 0)
        }
        var message = ViewMessage(kind: "report", at: at, report: .init(label: what, step: report?.step ?? current, passed: report?.passed, lines: lines))
        if watched { message.pictures = draw(Scene.read(session)) }
        send(message, numbered: true)
    }

    // MARK: What the page is sent

    /// The lines a learner reads as what happened (not the REPL's help, headings or hints of use).
    private static let kept: Set<Console.Style> = [.command, .trace, .output, .change, .success, .failure, .note]

    private func heard(_ text: String, _ style: Console.Style) {
        guard ViewFeed.kept.contains(style) else { return }
        state.withLock { $0.lines.append(.init(style: style.rawValue, text: text)) }
    }

    /// The pictures of `scene`, what changed since the last one sent marked; it becomes the last.
    private func draw(_ scene: Scene) -> [ViewPicture] {
        let previous = state.withLock { state in
            defer { state.scene = scene }
            return state.scene
        }
        return ScenePictures.draw(scene, changed: scene.changes(from: previous), large: large)
    }

    private func send(_ message: ViewMessage, numbered: Bool = false) {
        var message = message
        if numbered { message.seq = state.withLock { state in state.seq += 1; return state.seq } }
        guard !state.withLock({ $0.gone }), var bytes = try? JSONEncoder().encode(message) else { return }
        bytes.append(10)
        let sent = sending.withLock { _ in (try? stream.send(Array(bytes))) != nil }
        if !sent { state.withLock { $0.gone = true } }
    }

    // MARK: What the host says

    /// The host's side says how many pages are open (`viewers N`); while one is, the pictures
    /// are kept up to date between steps too.
    private func listen() {
        var pending: [UInt8] = []
        while true {
            let watched = state.withLock { $0.viewers > 0 }
            let received: [UInt8]?
            do { received = try stream.receive(waiting: watched ? ViewFeed.refreshMilliseconds : -1) } catch { break }
            guard let received else {
                refresh(label: nil)
                continue
            }
            if received.isEmpty { break }
            pending += received
            while let newline = pending.firstIndex(of: 10) {
                let line = String(decoding: pending[..<newline], as: UTF8.self)
                pending.removeSubrange(...newline)
                guard line.hasPrefix("viewers "), let count = Int(line.dropFirst(8)) else { continue }
                let before = state.withLock { state in
                    defer { state.viewers = count }
                    return state.viewers
                }
                // A page that just opened gets the pictures now, not at the next step.
                if count > before {
                    refresh(label: "when the page opened")
                    state.withLock { $0.greeted = true }
                }
            }
        }
        state.withLock { $0.gone = true }
    }

    /// Sends the pictures, with `label`, or (nil) when the kernel changed since they were last
    /// drawn; not while a step is acting on it (its end sends them).
    private func refresh(label: String?) {
        guard let session = state.withLock({ $0.session }), let scene = session.whenIdle({ Scene.read(session) }) else { return }
        let unchanged = state.withLock { $0.scene == scene }
        guard label != nil || !unchanged else { return }
        send(ViewMessage(kind: "scene", at: monotonicNanoseconds(), pictures: draw(scene), label: label ?? "a change made outside BoxLab"), numbered: true)
    }
}
