import Foundation
import Glibc

/// What the numbers were taken on.
enum Machine {
    static var summary: String {
        let cpus = sysconf(Int32(_SC_NPROCESSORS_ONLN))
        var names = utsname()
        uname(&names)
        let release = withUnsafeBytes(of: &names.release) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
        let model = field("/proc/cpuinfo", "model name") ?? "unknown CPU"
        let memory = field("/proc/meminfo", "MemTotal").flatMap { Int($0.split(separator: " ").first ?? "") }
            .map { String(format: "%.1f GiB RAM", Double($0) / 1_048_576) } ?? "unknown RAM"
        return "nproc \(cpus) (\(model)), Linux \(release), \(memory)"
    }

    /// The value of the first `key: value` line of a /proc file.
    static func field(_ path: String, _ key: String) -> String? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(key) {
            guard let colon = line.firstIndex(of: ":") else { continue }
            return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return nil
    }
}
