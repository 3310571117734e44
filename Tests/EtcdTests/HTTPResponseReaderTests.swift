@testable import Etcd
import Testing

@Suite struct HTTPResponseReaderTests {
    /// Feeds `bytes` in pieces of `step` and returns the reader and the body it decoded.
    private func read(_ bytes: [UInt8], step: Int) throws -> (HTTPResponseReader, [UInt8]) {
        var reader = HTTPResponseReader()
        var body: [UInt8] = []
        var index = 0
        while index < bytes.count {
            body += try reader.feed(Array(bytes[index..<min(bytes.count, index + step)]))
            index += step
        }
        return (reader, body)
    }

    @Test func contentLengthBodyWholeOrByteByByte() throws {
        let bytes = try fixture("range")
        for step in [bytes.count, 1, 7] {
            let (reader, body) = try read(bytes, step: step)
            #expect(reader.status == 200)
            #expect(reader.isComplete)
            #expect(reader.header("Content-Type") == "application/json")
            #expect(body.count == 391)
            #expect(String(decoding: body, as: UTF8.self).hasPrefix("{\"header\":"))
        }
    }

    @Test func chunkedBodyEndsAtTheZeroChunk() throws {
        let (reader, body) = try read(try fixture("keepalive"), step: 5)
        #expect(reader.isComplete)
        #expect(body.count == 0xa4)
        #expect(body.last == 10)
    }

    @Test func chunkedErrorWithATrailer() throws {
        let (reader, body) = try read(try fixture("revoke-absent"), step: 3)
        #expect(reader.status == 404)
        #expect(reader.isComplete)
        #expect(String(decoding: body, as: UTF8.self) == #"{"error":"etcdserver: requested lease not found","message":"etcdserver: requested lease not found","code":5}"#)
    }

    @Test func aStreamThatHasNotEndedIsIncomplete() throws {
        var (reader, body) = try read(try fixture("watch"), step: 11)
        #expect(!reader.isComplete)
        #expect(body.filter { $0 == 10 }.count == 3)
        #expect(throws: HTTPError("the connection closed before the end of the response's body")) { try reader.finish() }
        body = []
    }

    @Test func malformedResponsesAreNamed() throws {
        var reader = HTTPResponseReader()
        #expect(throws: HTTPError(#"not an HTTP/1.1 status line: "SSH-2.0-OpenSSH_9.2""#)) {
            _ = try reader.feed(Array("SSH-2.0-OpenSSH_9.2\r\n\r\n".utf8))
        }
        var chunked = HTTPResponseReader()
        #expect(throws: HTTPError(#"a chunk size that is not hexadecimal: "zz""#)) {
            _ = try chunked.feed(Array("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n".utf8))
        }
        var empty = HTTPResponseReader()
        #expect(throws: HTTPError("the connection closed before any response")) { try empty.finish() }
    }
}
