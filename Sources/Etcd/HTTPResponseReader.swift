/// Decodes an HTTP/1.1 response as its bytes arrive: the status line and headers, then the
/// body framed by Content-Length, by chunks (the etcd gateway's streams: watch, keepalive,
/// errors with trailers) or by the end of the connection. Body bytes come out as soon as
/// they are decoded, so a stream that never ends can be read message by message.
public struct HTTPResponseReader: Sendable {
    /// The status code, once the head has arrived.
    public private(set) var status: Int?
    /// Header names in lower case, in the order they came.
    public private(set) var headers: [(name: String, value: String)] = []
    /// Whether the whole body has arrived (never, for a body framed by the connection's end,
    /// until `finish`).
    public private(set) var isComplete = false

    private enum State: Sendable {
        case head, fixed(remaining: Int), chunkSize, chunkData(remaining: Int), chunkEnd, trailers, untilClose, done
    }
    private var state = State.head
    private var pending: [UInt8] = []

    public init() {}

    /// Takes the next bytes of the connection and returns the body bytes they complete.
    public mutating func feed(_ bytes: [UInt8]) throws(HTTPError) -> [UInt8] {
        pending += bytes
        var body: [UInt8] = []
        var position = 0
        decoding: while true {
            switch state {
            case .head:
                guard let end = Self.find([13, 10, 13, 10], in: pending, from: position) else { break decoding }
                try parseHead(String(decoding: pending[position..<end], as: UTF8.self))
                position = end + 4
            case .fixed(let remaining):
                let count = min(remaining, pending.count - position)
                body += pending[position..<position + count]
                position += count
                if remaining == count { finishBody() } else { state = .fixed(remaining: remaining - count); break decoding }
            case .chunkSize:
                guard let end = Self.find([13, 10], in: pending, from: position) else { break decoding }
                let line = String(decoding: pending[position..<end], as: UTF8.self)
                // A chunk size may carry extensions after a semicolon; they mean nothing here.
                let digits = line.split(separator: ";", maxSplits: 1).first.map { $0.trimmingCharacters(in: " \t") } ?? ""
                guard let size = Int(digits, radix: 16), size >= 0 else { throw HTTPError("a chunk size that is not hexadecimal: \(traceLine(line))") }
                position = end + 2
                state = size == 0 ? .trailers : .chunkData(remaining: size)
            case .chunkData(let remaining):
                let count = min(remaining, pending.count - position)
                body += pending[position..<position + count]
                position += count
                if remaining == count { state = .chunkEnd } else { state = .chunkData(remaining: remaining - count); break decoding }
            case .chunkEnd:
                guard pending.count - position >= 2 else { break decoding }
                guard pending[position] == 13, pending[position + 1] == 10 else { throw HTTPError("a chunk not followed by CRLF") }
                position += 2
                state = .chunkSize
            case .trailers:
                // Trailer fields (the gateway's Grpc-Trailer-Content-Type) end with an empty line.
                guard let end = Self.find([13, 10], in: pending, from: position) else { break decoding }
                let empty = end == position
                position = end + 2
                if empty { finishBody() }
            case .untilClose:
                body += pending[position...]
                position = pending.count
                break decoding
            case .done:
                break decoding
            }
        }
        pending.removeFirst(position)
        return body
    }

    /// The connection has ended: fine when the body was complete or framed by that end,
    /// a truncated response otherwise.
    public mutating func finish() throws(HTTPError) {
        switch state {
        case .done: return
        case .untilClose: finishBody()
        case .head: throw HTTPError(status == nil && pending.isEmpty ? "the connection closed before any response" : "the connection closed in the response's head")
        default: throw HTTPError("the connection closed before the end of the response's body")
        }
    }

    private mutating func finishBody() {
        state = .done
        isComplete = true
    }

    private mutating func parseHead(_ text: String) throws(HTTPError) {
        var lines = text.split(separator: "\r\n", omittingEmptySubsequences: false)[...]
        let statusLine = lines.popFirst() ?? ""
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let code = Int(parts[1]), (100...599).contains(code) else {
            throw HTTPError("not an HTTP/1.1 status line: \(traceLine(String(statusLine)))")
        }
        status = code
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { throw HTTPError("a header line without a colon: \(traceLine(String(line)))") }
            headers.append((line[..<colon].lowercased(), line[line.index(after: colon)...].trimmingCharacters(in: " \t")))
        }
        if header("transfer-encoding")?.lowercased() == "chunked" {
            state = .chunkSize
        } else if let length = header("content-length") {
            guard let count = Int(length), count >= 0 else { throw HTTPError("a Content-Length that is not a number: \(traceLine(length))") }
            state = .fixed(remaining: count)
            if count == 0 { finishBody() }
        } else {
            state = .untilClose
        }
    }

    /// The value of the first header named `name` (any case).
    public func header(_ name: String) -> String? {
        let lowered = name.lowercased()
        return headers.first { $0.name == lowered }?.value
    }

    private static func find(_ needle: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        guard bytes.count >= needle.count else { return nil }
        var index = start
        while index + needle.count <= bytes.count {
            if bytes[index] == needle[0] && bytes[index..<index + needle.count].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }
}

/// What a line of a malformed response said, cut short and quoted for an error message.
private func traceLine(_ line: String) -> String {
    "\"" + String(line.prefix(60)) + (line.count > 60 ? "…" : "") + "\""
}

extension StringProtocol {
    fileprivate func trimmingCharacters(in set: String) -> String {
        let characters = Set(set)
        var slice = Substring(self)
        while let first = slice.first, characters.contains(first) { slice.removeFirst() }
        while let last = slice.last, characters.contains(last) { slice.removeLast() }
        return String(slice)
    }
}

/// A response BoxLab cannot read as HTTP/1.1.
public struct HTTPError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
