@testable import Etcd
import Testing

@Suite struct JSONValueTests {
    private func json(_ text: String) -> JSONValue? { JSONValue(Array(text.utf8)) }

    @Test func equalByStructure() {
        #expect(json(#"{"a": 1, "b": [true, null]}"#) == json(#"{"b":[true,null],"a":1.0}"#))
        #expect(json(#"{"a": 1}"#) != json(#"{"a": "1"}"#))
        #expect(json("not json") == nil)
        #expect(json(#"{"PublicIP":"192.168.32.129","BackendData":{"VNI":1}}"#)?.description == #"{"BackendData":{"VNI":1},"PublicIP":"192.168.32.129"}"#)
    }

    @Test func whereTwoValuesDiffer() throws {
        let stored = try #require(json(#"{"PublicIP":"192.168.32.129","BackendData":{"VNI":1,"VtepMAC":"0e:00:00:00:01:00"}}"#))
        #expect(stored.firstDifference(from: try #require(json(#"{"PublicIP":"192.168.32.129","BackendData":{"VNI":2,"VtepMAC":"0e:00:00:00:01:00"}}"#))) == "BackendData.VNI")
        #expect(stored.firstDifference(from: try #require(json(#"{"PublicIP":"192.168.32.129"}"#))) == "BackendData")
        #expect(stored.firstDifference(from: stored) == nil)
        #expect(try #require(json("[1,2]")).firstDifference(from: try #require(json("3"))) == "the whole value")
    }
}
