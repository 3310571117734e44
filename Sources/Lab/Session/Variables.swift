import FoundationEssentials
import Kernel

/// The session's shell-like variables: `c1=$!` names a program started with `&`, and
/// `$c1` refers to it in later commands and expectations. They are kept in the run
/// directory, so `boxlab check` and a second window see the same names.
public struct Variables: Sendable {
    public let path: String

    public init(run: RunDirectory) { path = run.variables }

    /// The name `$!` is kept under: the pid of the last program started with `&`.
    public static let lastBackground = "!"

    public func all() -> [String: String] {
        Trace.untraced {
            guard let bytes = try? FileSystem.readFile(path) else { return [:] }
            var values: [String: String] = [:]
            for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
                guard let equals = line.firstIndex(of: "=") else { continue }
                values[String(line[..<equals])] = String(line[line.index(after: equals)...])
            }
            return values
        }
    }

    public func value(_ name: String) -> String? { all()[name] }

    public func set(_ name: String, _ value: String) throws(KernelError) {
        var values = all()
        values[name] = value
        try Trace.untraced { () throws(KernelError) in
            try FileSystem.writeFile(path, Array(values.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)\n" }.joined().utf8))
        }
    }

    public func clear() {
        Trace.untraced { _ = try? FileSystem.unlink(path) }
    }

    /// The variables a shell can hold (`$!` cannot): what `sh` blocks and `boxlab shell` get
    /// in their environment.
    public func forShell() -> [String: String] {
        all().filter { Variables.isName($0.key[...]) }
    }

    /// A lookup for `ShellWords.parse`.
    public var lookup: @Sendable (String) -> String? {
        let values = all()
        return { values[$0] }
    }

    /// Whether `name` can be a variable: letters, digits and `_`, not starting with a digit.
    public static func isName(_ name: Substring) -> Bool {
        guard let first = name.first, first == "_" || (first.isASCII && first.isLetter) else { return false }
        return name.allSatisfy { $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }
    }
}
