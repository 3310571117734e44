#if canImport(Glibc)
import Glibc
#endif
import Kernel

/// One line to stderr per event, as flanneld's glog lines: `I1207 13:40:00.123456 message`
/// (`E` for an error).
enum Log {
    static func info(_ message: String) { line("I", message) }
    static func error(_ message: String) { line("E", message) }

    private static func line(_ severity: String, _ message: String) {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var seconds = now.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let micros = String(now.tv_nsec / 1000)
        let stamp = two(parts.tm_mon + 1) + two(parts.tm_mday) + " " + two(parts.tm_hour) + ":" + two(parts.tm_min) + ":" + two(parts.tm_sec)
            + "." + String(repeating: "0", count: max(0, 6 - micros.count)) + micros
        StandardStream.error.write(severity + stamp + " " + message + "\n")
    }
}
