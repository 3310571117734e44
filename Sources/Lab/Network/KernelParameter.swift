import Kernel

/// A kernel parameter's file in /proc/sys. The net.* ones show the network namespace of the
/// thread that opens them, so they are read and written from a thread inside it.
enum KernelParameter {
    /// `/proc/sys/net/ipv4/ip_forward` for `net.ipv4.ip_forward`; nil for what is not a
    /// parameter's name (a path, `..`, no dot).
    static func path(of name: String) -> String? {
        guard !name.contains("/"), !name.contains(".."), name.contains("."), !name.hasPrefix("."), !name.hasSuffix(".") else { return nil }
        return "/proc/sys/" + name.replacing(".", with: "/")
    }

    /// The value with its words separated by one space (the kernel writes tabs between the
    /// two numbers of ip_local_port_range, a learner types a space).
    static func read(_ path: String) throws(KernelError) -> String {
        normalized(String(decoding: try FileSystem.readFile(path), as: UTF8.self))
    }

    static func write(_ path: String, _ value: String) throws(KernelError) {
        try FileSystem.writeFile(path, Array((value + "\n").utf8))
    }

    static func normalized(_ value: String) -> String {
        value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).joined(separator: " ")
    }
}
