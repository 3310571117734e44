/// How mount and unmount events spread between a mount and its peers
/// (Documentation/filesystems/sharedsubtree.rst).
public enum Propagation: String, Sendable, CaseIterable {
    /// Events spread both ways within the peer group.
    case shared
    /// Events neither arrive nor leave.
    case `private`
    /// Events arrive from the master's peer group but do not go back.
    case slave
    /// Private, and the mount cannot be the source of a bind mount.
    case unbindable

    /// The mount(2) flag that sets this propagation type.
    public var flag: MountFlags {
        switch self {
        case .shared: .shared
        case .private: .private
        case .slave: .slave
        case .unbindable: .unbindable
        }
    }
}
