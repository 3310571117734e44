import Testing
@testable import Image

struct DigestTests {
    /// The SHA-256 test vectors of FIPS 180-2.
    @Test func digestsMatchKnownValues() {
        #expect(Digest(of: []).description == "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(Digest(of: bytes("abc")).description == "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func parsesOnlyLowercaseSHA256() {
        let hex = String(repeating: "0a", count: 32)
        #expect(Digest("sha256:" + hex)?.hex == hex)
        #expect(Digest("sha512:" + hex) == nil)
        #expect(Digest("sha256:" + hex.uppercased()) == nil)
        #expect(Digest("sha256:" + hex.dropLast()) == nil)
    }
}
