import Kernel

/// What a step's `requires: [ipvlan]` may name: a part of the kernel that some machines lack.
/// Whether this kernel has it is asked of the kernel, never assumed from its version.
public enum KernelFeature: String, CaseIterable, Sendable {
    /// ipvlan links (CONFIG_IPVLAN), built in or a module the kernel can load.
    case ipvlan

    /// Whether the running kernel has it; asked once a process.
    public var isPresent: Bool { Self.presence[self] ?? false }

    /// The line a skipped step prints: what is missing and where the step runs instead.
    public var absence: String {
        switch self {
        case .ipvlan: "this kernel has no ipvlan (CONFIG_IPVLAN); it runs on the VM tier"
        }
    }

    private static let presence: [KernelFeature: Bool] = Dictionary(uniqueKeysWithValues: allCases.map { ($0, $0.probe()) })

    /// An ipvlan link asked for without a parent: a kernel that has the kind (or loads its
    /// module on the request, as for `ip link add`) refuses the missing parent with EINVAL
    /// before making anything; one without it answers EOPNOTSUPP, "Unknown device type".
    /// Any other answer (EPERM where BoxLab is not root) proves nothing, and counts as absent.
    private func probe() -> Bool {
        switch self {
        case .ipvlan:
            Trace.untraced {
                do throws(KernelError) {
                    let netlink = try RouteNetlink()
                    do throws(KernelError) {
                        try netlink.addLink("probe-ipvlan", .ipvlan(.l2))
                    } catch {
                        return error.errno == .EINVAL
                    }
                    try? netlink.deleteLink(.name("probe-ipvlan"))
                    return true
                } catch {
                    return false
                }
            }
        }
    }
}
