/// How `bridge fdb` adds an entry: `add` fails when the MAC has one (EEXIST), `append` adds
/// one more remote to a VXLAN device's list for the all-zeros or a multicast MAC (and adds
/// any other MAC's entry only when there is none), `replace` overwrites.
public enum ForwardingEntryMode: String, Sendable, CaseIterable {
    case add, append, replace

    /// Sent beside NLM_F_CREATE.
    var flags: NetlinkFlags {
        switch self {
        case .add: .exclusive
        case .append: .append
        case .replace: .replace
        }
    }
}
