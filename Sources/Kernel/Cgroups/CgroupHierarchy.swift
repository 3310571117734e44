/// One mounted cgroup hierarchy and where this process sits in it.
public struct CgroupHierarchy: Sendable, Equatable {
    public var version: CgroupVersion
    /// v1: the controllers mounted together (`cpu`, `cpuacct`) or a named hierarchy
    /// (`name=systemd`); v2: what the root's cgroup.controllers offers.
    public var controllers: [String]
    public var mountPoint: String
    /// This process's cgroup in the hierarchy, as /proc/self/cgroup gives it (`/` for the root).
    public var ownPath: String
    /// The directory of `ownPath` under the mount point.
    public var ownDirectory: String

    public init(version: CgroupVersion, controllers: [String], mountPoint: String, ownPath: String, ownDirectory: String) {
        self.version = version
        self.controllers = controllers
        self.mountPoint = mountPoint
        self.ownPath = ownPath
        self.ownDirectory = ownDirectory
    }

    public func serves(_ controller: CgroupController) -> Bool {
        controllers.contains(controller.rawValue) || (version == .v2 && controller.isCoreOnV2)
    }
}
