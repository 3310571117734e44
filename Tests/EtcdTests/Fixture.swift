import Foundation
import Testing

/// The bytes of a file in Fixtures/: responses of etcd 3.4.23's gateway (Debian's
/// etcd-server), captured raw from a socket in BoxLab's sandbox, chunk framing included.
func fixture(_ name: String) throws -> [UInt8] {
    let url = try #require(Bundle.module.url(forResource: name, withExtension: "http", subdirectory: "Fixtures"))
    return Array(try Data(contentsOf: url))
}
