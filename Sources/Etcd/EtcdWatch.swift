#if canImport(Glibc)
import Glibc
#endif
import FoundationEssentials
import Kernel

/// A watch stream: the gateway's chunked response to one `/v3/watch` request, one JSON
/// message a line, read as it arrives. It ends when etcd does, or when the watch is
/// cancelled (a compacted revision); the watcher then lists again and watches anew.
public final class EtcdWatch {
    private let stream: TCPStream
    private let endpoint: EtcdEndpoint
    private let timeout: Double
    private var reader = HTTPResponseReader()
    private var lines: [UInt8] = []

    init(stream: TCPStream, endpoint: EtcdEndpoint, timeout: Double) {
        self.stream = stream
        self.endpoint = endpoint
        self.timeout = timeout
    }

    /// Waits up to `timeout` seconds for changes; returns those of the next message (empty
    /// for one that only confirms the watch), nil when nothing came in time.
    public func next(timeout: Double) throws(EtcdError) -> [EtcdEvent]? {
        let deadline = ContinuousClock.now + .milliseconds(Int(timeout * 1000))
        while true {
            if let newline = lines.firstIndex(of: 10) {
                let line = Array(lines[..<newline])
                lines.removeFirst(newline + 1)
                if line.allSatisfy({ $0 == 32 || $0 == 13 }) { continue }
                return try Self.events(in: line)
            }
            let left = ContinuousClock.now.duration(to: deadline).components
            let seconds = max(0, Double(left.seconds) + Double(left.attoseconds) / 1e18)
            let bytes: [UInt8]?
            do { bytes = try stream.receive(timeout: seconds) } catch { throw .connection(endpoint, error) }
            guard let bytes else { return nil }
            do {
                if bytes.isEmpty {
                    try reader.finish()
                    throw EtcdError.watchEnded(endpoint)
                }
                let body = try reader.feed(bytes)
                lines += body
                if let status = reader.status, status != 200 {
                    // The gateway refused the watch: its error is the whole body.
                    if reader.isComplete { _ = try EtcdClient.decode(WatchResponse.self, lines, status: status, path: "/v3/watch") }
                    continue
                }
                if reader.isComplete && lines.firstIndex(of: 10) == nil {
                    throw EtcdError.watchEnded(endpoint)
                }
            } catch let error as HTTPError {
                throw .http(endpoint, error)
            } catch let error as EtcdError {
                throw error
            } catch {
                throw .malformed(path: "/v3/watch", detail: "\(error)")
            }
        }
    }

    /// The changes one line of the stream, `{"result":{…,"events":[…]}}`, reports.
    static func events(in line: [UInt8]) throws(EtcdError) -> [EtcdEvent] {
        let message: StreamMessage<WatchResponse>
        do { message = try JSONDecoder().decode(StreamMessage<WatchResponse>.self, from: Data(line)) } catch {
            throw .malformed(path: "/v3/watch", detail: "\(error)")
        }
        if let error = message.error { throw .server(status: 200, code: error.code ?? 0, message: error.message ?? error.error ?? "") }
        guard let response = message.result else { return [] }
        if response.canceled == true {
            throw .server(status: 200, code: 0, message: "watch cancelled: \(response.cancel_reason ?? "compacted to revision \(response.compact_revision?.value ?? 0)")")
        }
        return (response.events ?? []).compactMap { event in
            guard let kv = event.kv else { return nil }
            let pair = EtcdKeyValue(kv)
            return event.type == "DELETE" ? .delete(key: pair.key, revision: pair.modRevision) : .put(pair)
        }
    }
}
