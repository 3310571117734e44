/// A process's capability sets and its no_new_privs flag, as /proc/PID/status shows them
/// (proc(5): CapInh, CapPrm, CapEff, CapBnd, CapAmb, NoNewPrivs).
public struct ProcessCapabilities: Sendable, Equatable {
    /// The five sets of capabilities(7), by the field that shows each.
    public enum Kind: String, Sendable, CaseIterable {
        case inheritable = "CapInh", permitted = "CapPrm", effective = "CapEff", bounding = "CapBnd", ambient = "CapAmb"

        /// `inh`, `prm`, `eff`, `bnd`, `amb`: the field's name, lower case, without `Cap`.
        public var shortName: String { String(rawValue.dropFirst(3)).lowercased() }

        public var name: String { "\(self)" }

        /// A set by its short name (`eff`) or its name (`effective`).
        public init?(word: String) {
            guard let kind = Self.allCases.first(where: { $0.shortName == word || $0.name == word }) else { return nil }
            self = kind
        }
    }

    public var sets: [Kind: CapabilitySet]
    public var noNewPrivileges: Bool

    public subscript(kind: Kind) -> CapabilitySet { sets[kind] ?? CapabilitySet(mask: 0) }

    /// The fields of a status file's text; nil when one of the five sets is missing or not hex.
    /// A kernel without ambient capabilities (before 4.3) or NoNewPrivs (before 4.10) has no
    /// such line: the set is empty and the flag clear.
    public init?(status: String) {
        var fields: [Substring: Substring] = [:]
        for line in status.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[line[..<colon]] = line[line.index(after: colon)...].drop { $0 == " " || $0 == "\t" }
        }
        var sets: [Kind: CapabilitySet] = [:]
        for kind in Kind.allCases {
            guard let value = fields[Substring(kind.rawValue)] else {
                if kind == .ambient { continue }
                return nil
            }
            guard let set = CapabilitySet(hex: String(value)) else { return nil }
            sets[kind] = set
        }
        self.sets = sets
        noNewPrivileges = fields["NoNewPrivs"] == "1"
    }

    /// Those of process `pid`; nil when it is gone.
    ///
    /// The corresponding C functions are `open` and `read` (of /proc/PID/status).
    public static func of(_ pid: Int32) -> ProcessCapabilities? {
        guard let bytes = try? FileSystem.readFile("/proc/\(pid)/status") else { return nil }
        return ProcessCapabilities(status: String(decoding: bytes, as: UTF8.self))
    }
}
