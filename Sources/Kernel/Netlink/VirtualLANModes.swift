/// How macvlan links on one parent reach each other (`IFLA_MACVLAN_MODE`).
public enum MACVLANMode: UInt32, Sendable, CaseIterable, CustomStringConvertible {
    /// Not at all, not even through an outside switch.
    case `private` = 1
    /// Only through an outside switch that sends frames back (802.1Qbg).
    case vepa = 2
    /// Directly, inside the kernel.
    case bridge = 4
    /// One macvlan takes over the parent.
    case passthru = 8
    /// Only frames from listed source MACs arrive.
    case source = 16

    /// `bridge`, as `ip` spells it.
    public var description: String {
        switch self {
        case .private: "private"
        case .vepa: "vepa"
        case .bridge: "bridge"
        case .passthru: "passthru"
        case .source: "source"
        }
    }
}

/// Which layer an ipvlan link switches at (`IFLA_IPVLAN_MODE`).
public enum IPVLANMode: UInt16, Sendable, CaseIterable, CustomStringConvertible {
    /// Frames are switched by the parent; the links share its MAC.
    case l2 = 0
    /// Packets are routed by IP address; no broadcast or multicast.
    case l3 = 1
    /// Like l3, with the parent namespace's netfilter applied.
    case l3s = 2

    /// `l2`, as `ip` spells it.
    public var description: String {
        switch self {
        case .l2: "l2"
        case .l3: "l3"
        case .l3s: "l3s"
        }
    }
}
