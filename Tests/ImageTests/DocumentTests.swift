import Testing
@testable import Image

/// The JSON documents of a layout: exact bytes (their digests depend on them) and round trips.
struct DocumentTests {
    let config = Descriptor(of: bytes("{}"), mediaType: MediaType.config)
    let layer = Descriptor(of: bytes("layer"), mediaType: MediaType.gzipLayer)

    @Test func encodingIsCompactSortedAndLeavesSlashesAlone() {
        #expect(String(decoding: ImageJSON.encode(ImageLayout.Version()), as: UTF8.self) == #"{"imageLayoutVersion":"1.0.0"}"#)
        #expect(String(decoding: ImageJSON.encode(config), as: UTF8.self) == """
        {"digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",\
        "mediaType":"application/vnd.oci.image.config.v1+json","size":2}
        """)
    }

    @Test func manifestRoundTrips() throws {
        let manifest = ImageManifest(config: config, layers: [layer])
        let decoded = try ImageJSON.decode(ImageManifest.self, from: ImageJSON.encode(manifest), role: "manifest")
        #expect(decoded == manifest)
        #expect(decoded.schemaVersion == 2)
        #expect(decoded.mediaType == MediaType.manifest)
    }

    @Test func configurationRoundTripsWithItsOCINames() throws {
        let configuration = ImageConfiguration(
            architecture: "amd64", config: .init(Env: ["PATH=/bin"], Cmd: ["/bin/sh"]),
            rootfs: .init(diff_ids: [layer.digest])
        )
        let encoded = String(decoding: ImageJSON.encode(configuration), as: UTF8.self)
        #expect(encoded.contains(#""rootfs":{"diff_ids":["\#(layer.digest)"],"type":"layers"}"#))
        #expect(encoded.contains(#""config":{"Cmd":["/bin/sh"],"Env":["PATH=/bin"]}"#))
        #expect(try ImageJSON.decode(ImageConfiguration.self, from: Array(encoded.utf8), role: "config") == configuration)
    }

    @Test func malformedDocumentsAreRefusedInOneLine() {
        #expect(throws: ImageError.malformed(role: "manifest", reason: ".config is missing")) {
            try ImageJSON.decode(ImageManifest.self, from: bytes(#"{"schemaVersion":2,"mediaType":"x","layers":[]}"#), role: "manifest")
        }
        do {
            _ = try ImageJSON.decode(Descriptor.self, from: bytes(#"{"mediaType":"x","digest":"md5:00","size":1}"#), role: "config")
            Issue.record("a bad digest was accepted")
        } catch {
            #expect("\(error)".contains("'md5:00' is not a sha256 digest"))
            #expect(!"\(error)".contains("\n"))
        }
    }
}
