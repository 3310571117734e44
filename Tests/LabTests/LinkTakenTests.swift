@testable import Lab
import Testing

/// A host link name BoxLab will not reuse is BoxLab's rule, said as such: no EEXIST, which
/// no RTM_NEWLINK returned (none was sent).
@Suite struct LinkTakenTests {
    @Test func saysWhoseRuleItIs() {
        let text = LinkTaken(name: "br0").description
        #expect(text == "the host has a link named br0 already, and BoxLab makes links there only under new names")
        #expect(!text.contains("EEXIST"))
    }
}
