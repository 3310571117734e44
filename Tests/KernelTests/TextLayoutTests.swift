import Kernel
import Testing

/// What BoxLab writes in place of Foundation's trimming, padding and `%.3f`.
struct TextLayoutTests {
    @Test func trimming() {
        #expect("  \tvalue \t".trimmingWhitespace() == "value")
        #expect(" value\n".trimmingWhitespace() == "value\n", "line breaks are not spaces")
        #expect(" \n value\r\n".trimmingWhitespaceAndNewlines() == "value")
        #expect("\u{00A0}é\u{00A0}".trimmingWhitespace() == "é")
        #expect("   ".trimmingWhitespace() == "")
        #expect("a b".dropFirst(0).trimmingWhitespace() == "a b")
    }

    @Test func padding() {
        #expect("net".padding(toWidth: 6) == "net   ")
        #expect("cgroup".padding(toWidth: 3) == "cgr")
        #expect("".padding(toWidth: 2) == "  ")
    }

    @Test func placesAfterThePoint() {
        #expect(0.1554.formatted(places: 3) == "0.155")
        #expect(12.0.formatted(places: 3) == "12.000")
        #expect(0.0005.formatted(places: 3) == "0.001")
        // Halves round away from zero (1.25 and 2.5 are exact in binary).
        #expect((-1.25).formatted(places: 1) == "-1.3")
        #expect((-0.0001).formatted(places: 2) == "0.00")
        #expect(2.5.formatted(places: 0) == "3")
    }
}
