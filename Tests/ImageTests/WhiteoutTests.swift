import Testing
import Image

struct WhiteoutTests {
    @Test func namesMapToOverlayMarkers() {
        #expect(Whiteout(name: ".wh.hostname") == .deleted(name: "hostname"))
        #expect(Whiteout(name: ".wh..wh..opq") == .opaque)
        #expect(Whiteout(name: ".wh..profile") == .deleted(name: ".profile"))
        #expect(Whiteout(name: "hostname") == nil)
        #expect(Whiteout(name: ".wh.") == nil)
        #expect(Whiteout(name: "a.wh.b") == nil)
    }

    @Test func deletingAPathNamesItsWhiteoutEntry() {
        #expect(Whiteout.entryPath(deleting: "etc/hostname") == "etc/.wh.hostname")
        #expect(Whiteout.entryPath(deleting: "/motd") == ".wh.motd")
    }
}
