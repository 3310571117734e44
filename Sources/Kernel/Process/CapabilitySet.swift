/// A set of capabilities as the kernel keeps one: a 64-bit mask, bit N for capability N,
/// shown in /proc/PID/status as 16 hex digits (`CapEff:\t00000000a80425fb`).
public struct CapabilitySet: Sendable, Hashable {
    public var mask: UInt64

    public init(mask: UInt64) { self.mask = mask }

    public init<S: Sequence>(_ capabilities: S) where S.Element == Capability {
        mask = capabilities.reduce(0) { $1.number < 64 ? $0 | (1 << UInt64($1.number)) : $0 }
    }

    /// A status line's value, `00000000a80425fb`.
    public init?(hex: String) {
        guard !hex.isEmpty, hex.count <= 16, let mask = UInt64(hex, radix: 16) else { return nil }
        self.mask = mask
    }

    public var capabilities: [Capability] { (0..<64).filter { mask & (1 << UInt64($0)) != 0 }.map(Capability.init(number:)) }

    /// Whether it holds every capability of `capabilities` (and perhaps more).
    public func holdsAll(of capabilities: [Capability]) -> Bool {
        let wanted = CapabilitySet(capabilities).mask
        return mask & wanted == wanted
    }

    public func contains(_ capability: Capability) -> Bool { capability.number < 64 && mask & (1 << UInt64(capability.number)) != 0 }

    /// As /proc/PID/status shows it: 16 hex digits.
    public var hex: String {
        let digits = String(mask, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// `none`, `all` (every capability of `all`, `Capability.held()`: what a process of root
    /// gets here; a set holding more is all too), or the names as `capsh --decode` prints them,
    /// `cap_chown,cap_kill`.
    public func decoded(all: [Capability]) -> String {
        if mask == 0 { return "none" }
        if !all.isEmpty, holdsAll(of: all) { return "all" }
        return capabilities.map { $0.name.lowercased() }.joined(separator: ",")
    }
}
