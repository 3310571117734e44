#if canImport(Glibc)
import Glibc
#endif

/// The running kernel's version, as its release (`uname -r`, `6.1.0-57-cloud-amd64`)
/// begins: what decides features the kernel does not announce otherwise.
public struct KernelVersion: Comparable, Sendable, CustomStringConvertible {
    public let major: Int
    public let minor: Int

    public init(_ major: Int, _ minor: Int) {
        self.major = major
        self.minor = minor
    }

    /// The version a release string starts with; nil when it starts with no `N.N`.
    public init?(release: String) {
        let numbers = release.split(whereSeparator: { !$0.isNumber }).prefix(2).compactMap { Int($0) }
        guard numbers.count == 2, release.first?.isNumber == true else { return nil }
        self.init(numbers[0], numbers[1])
    }

    /// The corresponding C function is `uname`.
    public static func running() throws(KernelError) -> KernelVersion? {
        var names = try systemNames()
        return KernelVersion(release: withUnsafeBytes(of: &names.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) })
    }

    public static func < (lhs: KernelVersion, rhs: KernelVersion) -> Bool {
        (lhs.major, lhs.minor) < (rhs.major, rhs.minor)
    }

    public var description: String { "\(major).\(minor)" }
}
