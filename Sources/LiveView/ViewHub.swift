import FoundationEssentials
import Synchronization

/// What the pages are sent: every message of the session so far (a page opened late is
/// shown the whole story, then follows), and each page's queue of what comes next. Also
/// how long each update took to reach a page, from the pages' acknowledgements.
final class ViewHub: Sendable {
    private let state = Mutex(State())
    /// Told how many pages are open whenever that changes.
    private let viewersChanged: @Sendable (Int) -> Void

    private struct State {
        var history: [String] = []
        /// Where in `history` the latest `scene` message is: a newer one replaces it.
        var sceneIndex: Int?
        var pages: [Int: AsyncStream<String>.Continuation] = [:]
        var nextPage = 0
        var ended = false
        /// When each numbered message's step ended (CLOCK_MONOTONIC ns).
        var stamps: [Int: UInt64] = [:]
        var latencies: [Int: UInt64] = [:]
    }

    private struct Envelope: Decodable {
        var kind: String
        var seq: Int?
        var at: UInt64?
    }

    init(viewersChanged: @escaping @Sendable (Int) -> Void) {
        self.viewersChanged = viewersChanged
    }

    /// A message from the session, passed on to every open page.
    func publish(_ line: String) {
        let envelope = try? JSONDecoder().decode(Envelope.self, from: Data(line.utf8))
        let pages = state.withLock { state in
            if envelope?.kind == "scene" {
                if let index = state.sceneIndex { state.history.remove(at: index) }
                state.sceneIndex = state.history.count
            }
            state.history.append(line)
            if let seq = envelope?.seq, let at = envelope?.at { state.stamps[seq] = at }
            return Array(state.pages.values)
        }
        for page in pages { page.yield(line) }
    }

    /// The session has ended: pages are told, and their streams finish (each page's
    /// connection closes once it has been sent everything: `close`).
    func end() {
        let pages = state.withLock { state in
            state.ended = true
            return Array(state.pages.values)
        }
        for page in pages {
            page.yield(#"{"kind":"end"}"#)
            page.finish()
        }
    }

    /// A page opened: what it is to be sent, from the start.
    func open() -> (id: Int, messages: AsyncStream<String>) {
        let (stream, continuation) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .unbounded)
        let (id, count) = state.withLock { state in
            let id = state.nextPage
            state.nextPage += 1
            for line in state.history { continuation.yield(line) }
            if state.ended {
                continuation.yield(#"{"kind":"end"}"#)
                continuation.finish()
            } else {
                state.pages[id] = continuation
            }
            return (id, state.pages.count)
        }
        viewersChanged(count)
        return (id, stream)
    }

    /// How many pages are still being sent what they are to see.
    var openPages: Int { state.withLock { $0.pages.count } }

    func close(_ id: Int) {
        let count = state.withLock { state in
            state.pages.removeValue(forKey: id)?.finish()
            return state.pages.count
        }
        viewersChanged(count)
    }

    /// A page has drawn message `seq` (`{"ack":N}`): how long after its step ended.
    func acknowledged(_ text: String) {
        struct Ack: Decodable { var ack: Int }
        guard let ack = try? JSONDecoder().decode(Ack.self, from: Data(text.utf8)) else { return }
        let now = monotonicNanoseconds()
        state.withLock { state in
            guard let at = state.stamps[ack.ack], state.latencies[ack.ack] == nil else { return }
            state.latencies[ack.ack] = now &- at
        }
    }

    /// Each acknowledged update's latency in milliseconds, in order.
    var latencies: [(seq: Int, milliseconds: Double)] {
        state.withLock { state in state.latencies.sorted { $0.key < $1.key }.map { ($0.key, Double($0.value) / 1_000_000) } }
    }
}
