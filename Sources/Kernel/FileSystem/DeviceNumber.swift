/// A device number, `dev_t`: which driver (major) and which device of it (minor).
public struct DeviceNumber: Sendable, Hashable, CustomStringConvertible {
    public var major: UInt32
    public var minor: UInt32

    public init(major: UInt32, minor: UInt32) {
        self.major = major
        self.minor = minor
    }

    /// Decodes a `dev_t` the way glibc's `major()` and `minor()` do: 12 bits of major and
    /// 8 of minor in the low word, the rest of both in the high word.
    public init(rawValue: UInt64) {
        major = UInt32(truncatingIfNeeded: ((rawValue >> 32) & 0xffff_f000) | ((rawValue >> 8) & 0xfff))
        minor = UInt32(truncatingIfNeeded: ((rawValue >> 12) & 0xffff_ff00) | (rawValue & 0xff))
    }

    /// The `dev_t` glibc's `makedev()` builds.
    public var rawValue: UInt64 {
        let major = UInt64(major), minor = UInt64(minor)
        return (major & 0xfff) << 8 | (major & ~0xfff) << 32 | (minor & 0xff) | (minor & ~0xff) << 12
    }

    /// `major,minor`, as `ls -l` prints a device.
    public var description: String { "\(major),\(minor)" }

    /// As strace prints a `dev_t`, `makedev(0, 0)`.
    var traceDescription: String { "makedev(\(major), \(minor))" }
}
