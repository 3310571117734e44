import Glibc

/// The monotonic clock, in nanoseconds: what every duration in the benchmark is read from.
enum Clock {
    static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    /// Nanoseconds since `start`.
    static func since(_ start: UInt64) -> UInt64 { now() - start }
}
